/**
 * The survey's styles. They live in its shadow root, so the host page's CSS cannot reach in,
 * ours cannot leak out, and a strict CSP (no inline styles) is respected: a constructed
 * stylesheet (adoptedStyleSheets), or where there is none (Safari before 16.4, Firefox before
 * 101) an empty `<style>` filled rule by rule through CSSOM, which CSP does not govern. The empty
 * element itself still needs the page's leave under a strict `style-src`: the hash of an empty
 * style, `'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='` (the SHA-256 of the empty string;
 * README), which allows no style text at all.
 * Within the browser floor: no flex `gap` (Safari 14.1), no `min()` (Firefox 75) and no
 * `inset-inline-*` (Chrome 87, Safari 14.1), so the two absolutely placed things (the box's
 * corner, the close button) swap sides by `dir`; everything else uses logical properties and
 * follows the direction by itself (the scale's row reads right to left in Hebrew and Arabic).
 */
export const CSS = `
:host{all:initial;position:fixed;right:16px;bottom:16px;z-index:2147483647;font:14px/1.4 system-ui,sans-serif;color:#1b1b1f}
:host([dir=rtl]){right:auto;left:16px}
.box{position:relative;box-sizing:border-box;width:360px;max-width:calc(100vw - 32px);padding:16px;background:#fff;border:1px solid #d4d4d8;border-radius:10px;box-shadow:0 6px 24px #0000002e;text-align:start}
h2{margin:0 0 12px;margin-inline-end:28px;font-size:15px;font-weight:600}
p{margin:0}
.link{margin-top:8px}
a{color:#2563eb}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
button,textarea,input{font:inherit;color:inherit}
button{cursor:pointer}
button:focus-visible,textarea:focus-visible,input:focus-visible{outline:2px solid #2563eb;outline-offset:2px}
.scale{display:flex}
.scale button+button{margin-inline-start:4px}
.scale button{flex:1;min-width:0;padding:8px 0;background:#f4f4f5;border:1px solid #d4d4d8;border-radius:6px}
.faces button{font-size:22px;line-height:1.2}
.scale button:hover{background:#e4e4e7}
.ends{display:flex;justify-content:space-between;margin-top:4px;font-size:12px;color:#52525b}
fieldset{margin:0;padding:0;border:0}
.opt{display:block;padding:4px 0}
textarea,.other{display:block;box-sizing:border-box;width:100%;padding:8px;border:1px solid #a1a1aa;border-radius:6px;background:#fff}
textarea{min-height:72px;resize:vertical}
.send{display:block;margin-top:8px;padding:8px 14px;color:#fff;background:#2563eb;border:0;border-radius:6px}
.send:disabled{opacity:.5;cursor:default}
.close{position:absolute;top:6px;right:6px;padding:4px 8px;font-size:20px;line-height:1;color:#52525b;background:none;border:0}
[dir=rtl] .close{right:auto;left:6px}
@media (prefers-color-scheme:dark){:host{color:#f4f4f5}.box{background:#18181b;border-color:#3f3f46}.scale button{background:#27272a;border-color:#3f3f46}.scale button:hover{background:#3f3f46}.ends,.close{color:#a1a1aa}textarea,.other{background:#27272a;border-color:#52525b}a{color:#93c5fd}}
`

/** Styles a shadow root with CSS (one rule per line); its host must be in the document. */
export function styleRoot(root: ShadowRoot) {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet.prototype.replaceSync == 'function') {
    const sheet = new CSSStyleSheet()
    sheet.replaceSync(CSS)
    root.adoptedStyleSheets = [sheet]
    return
  }
  const el = document.createElement('style')
  root.append(el)
  // null when the page's CSP refused even the empty element (the empty style's hash not allowed).
  const sheet = el.sheet
  if (sheet)
    for (const rule of CSS.trim().split('\n'))
      try {
        // One by one: a browser that cannot parse a rule (`:focus-visible` before Safari 15.4) loses that rule only.
        sheet.insertRule(rule, sheet.cssRules.length)
      } catch {}
}
