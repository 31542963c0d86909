/** @module dashboard/i18n/pl/findings: what the worker finds and sends as data, in Polish (English: i18n/findings.ts). */
import type { Words } from '../../i18n'
import type { findingsText } from '../findings'

export const findings: Words<typeof findingsText> = {
  vdArmLift: '{arm}: {lift}',
  vdMismatch:
    'Niezgodność proporcji próby (p = {p}): warianty nie dostały odwiedzających, których przydziela im podział, więc o tym, kto gdzie jest liczony, decyduje coś innego niż przypadek (przekierowanie, boty, strona zgłaszająca zły wariant). Znajdź przyczynę, zanim zaczniesz działać na tych wynikach.',
  vdNoExposure: 'Żaden odwiedzający nie zobaczył jeszcze wariantu.',
  vdWinner: '{arm} wygrywa z {control}: {lift}; oczekiwana strata po wdrożeniu {loss}.',
  vdStop: 'Możesz zakończyć eksperyment.',
  vdRivals: 'Kontynuuj, by odróżnić go od: {rivals}.',
  vdGuardrail: 'Ale wskaźnik {event} wzrósł: {lift}; sprawdź to przed wdrożeniem.',
  vdControlWins: '{control} wygrywa z: {arms}. Zostaw {control}. Możesz zakończyć eksperyment.',
  vdNoDifference: 'Żaden wariant nie zmienia współczynnika o {lift} lub więcej: {arms}. Możesz zakończyć eksperyment.',
  vdNoConversions: 'Kontynuuj: nie ma jeszcze konwersji.',
  vdNeeded: {
    one: 'Kontynuuj: potrzeba jeszcze około {n} odwiedzającego na wariant, by wykryć wzrost o {lift}.',
    few: 'Kontynuuj: potrzeba jeszcze około {n} odwiedzających na wariant, by wykryć wzrost o {lift}.',
    many: 'Kontynuuj: potrzeba jeszcze około {n} odwiedzających na wariant, by wykryć wzrost o {lift}.',
    other: 'Kontynuuj: potrzeba jeszcze około {n} odwiedzającego na wariant, by wykryć wzrost o {lift}.',
  },
  vdNeededAt: {
    one: 'Kontynuuj: potrzeba jeszcze około {n} odwiedzającego na wariant, by wykryć wzrost o {lift} (współczynnik {control}: {rate}).',
    few: 'Kontynuuj: potrzeba jeszcze około {n} odwiedzających na wariant, by wykryć wzrost o {lift} (współczynnik {control}: {rate}).',
    many: 'Kontynuuj: potrzeba jeszcze około {n} odwiedzających na wariant, by wykryć wzrost o {lift} (współczynnik {control}: {rate}).',
    other:
      'Kontynuuj: potrzeba jeszcze około {n} odwiedzającego na wariant, by wykryć wzrost o {lift} (współczynnik {control}: {rate}).',
  },
  vdCame:
    'Kontynuuj: przyszło już tylu odwiedzających, ilu potrzeba do wykrycia wzrostu o {lift}, więc ewentualna różnica jest zapewne mniejsza.',
  vdSoFar: 'Na razie {arm}: {lift}.',
  noEstimate: 'brak oszacowania',
  'why:nps': 'NPS {score} (krytyk: 0–6)',
  'why:csat': 'CSAT {score} na 5',
  'why:emoji': 'buźka {score} na 5',
  'why:rule': 'reguła ankiety dla {q}',
  'model:untrained': 'Jeszcze nie wytrenowany: modele są trenowane co godzinę na zdarzeniach z D1.',
  'model:untested':
    'Wytrenowany, zanim modele sprawdzano na późniejszych danych; najbliższe cogodzinne trenowanie go odświeży.',
  'model:goalChanged':
    'Od ostatniego trenowania cel lejka zmienił się na „{goal}”; najbliższe cogodzinne trenowanie go odświeży.',
  'model:tooFewSteps': 'Ten lejek potrzebuje co najmniej dwóch kroków.',
  trainTooLittle:
    'Za mało danych w punktach odcięcia do nauki (od {from} do {to}): {counts}. Model potrzebuje co najmniej {min} w każdej grupie.',
  measureTooLittle:
    'Za mało danych do pomiaru w punkcie odcięcia testu ({cutoff}): {counts}. Pomiar potrzebuje co najmniej {min} w każdej grupie.',
  countsFunnel: 'odwiedzający, którzy dotarli do {goal} w ciągu {days}: {positives}; którzy nie dotarli: {negatives}',
  countsChurn: 'powracający odwiedzający, którzy nie wrócili w ciągu {days}: {positives}; którzy wrócili: {negatives}',
  leakWarning:
    'AUC {auc} w punkcie odcięcia testu wynosi co najmniej {threshold}: sprawdź, czy nie ma wycieku (cechy znanej dopiero po tym, jak wynik już nastąpił).',
  didOneClick: '1 kliknięcie',
  didClicks: {
    one: '{n} kliknięcie w ciągu {time}',
    few: '{n} kliknięcia w ciągu {time}',
    many: '{n} kliknięć w ciągu {time}',
    other: '{n} kliknięcia w ciągu {time}',
  },
  didUnanswered: '{clicks}, żadne nie wywołało reakcji',
  didQuiet: '{clicks}, nic się nie zmieniło na stronie przez {time}',
  didMoved: '{clicks}, brak reakcji przez {time} (zmieniało się tylko to, co zmienia się samo)',
  segNamed: 'segment {segment}',
  segFrom: 'z {referrer}',
  segDirect: 'wejścia bezpośrednie',
  segEveryone: 'wszyscy',
  segNew: 'nowi odwiedzający',
  segReturning: 'powracający odwiedzający',
  'feature:entry.source': 'przyszedł z {value}',
  'feature:entry.medium': 'medium {value}',
}
