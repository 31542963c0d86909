// The demo site's own code: an onboarding flow that reports progress with ciel('step', ...),
// and a menu toggle. Nothing here is part of ciel.
;(function () {
  var order = ['account', 'workspace', 'invite', 'done']
  function show(step) {
    order.forEach(function (s) {
      var el = document.getElementById('step-' + s)
      if (el) el.hidden = s !== step
      var li = document.querySelector('.steps [data-step="' + s + '"]')
      if (li) li.className = s === step ? 'current' : order.indexOf(s) < order.indexOf(step) ? 'past' : ''
    })
    ciel('step', 'onboarding', step)
  }
  if (document.getElementById('step-account')) {
    order.slice(0, 3).forEach(function (s, i) {
      document.getElementById('step-' + s).addEventListener('submit', function (e) {
        e.preventDefault()
        if (s === 'account') ciel('identify', 'user-' + Math.random().toString(36).slice(2, 8), { plan: 'trial' })
        show(order[i + 1])
      })
    })
    show('account')
  }
  var toggle = document.getElementById('toggle-menu')
  if (toggle)
    toggle.addEventListener('click', function () {
      var menu = document.getElementById('menu')
      menu.hidden = !menu.hidden
      toggle.setAttribute('aria-expanded', String(!menu.hidden))
    })
  // A feedback button shows the site's NPS survey on demand.
  var feedback = document.getElementById('feedback')
  if (feedback)
    feedback.addEventListener('click', function () {
      ciel('survey', feedback.getAttribute('data-survey') || 'nps')
    })
  var news = document.getElementById('newsletter')
  if (news)
    news.addEventListener('submit', function (e) {
      e.preventDefault()
      ciel('track', 'newsletter_subscribed')
      news.innerHTML = '<p>Thanks, you are subscribed.</p>'
    })
})()
;(function () {
  // The consent banner of the opt-in page.
  var box = document.getElementById('consent')
  if (!box) return
  function choose(value) {
    ciel('consent', value)
    box.hidden = true
  }
  document.getElementById('consent-yes').addEventListener('click', function () {
    choose('granted')
  })
  document.getElementById('consent-no').addEventListener('click', function () {
    choose('denied')
  })
  var intake = document.getElementById('intake')
  intake.addEventListener('submit', function (e) {
    e.preventDefault()
    intake.innerHTML = '<p>Thanks, we will be in touch.</p>'
  })
})()
