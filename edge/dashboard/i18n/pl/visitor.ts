/** @module dashboard/i18n/pl/visitor: the words of one visitor's timeline, in Polish (English: i18n/visitor.ts). */
import type { Words } from '../../i18n'
import type { visitorText } from '../visitor'

export const visitor: Words<typeof visitorText> = {
  vSeenRange: '{from} – {to}, {sessions}',
  openVisitor: 'Otwórz odwiedzającego {id}',
  visitorTitle: 'Odwiedzający {id}',
  vNotIdentified: 'niezidentyfikowany',
  vTraits: 'Cechy',
  vSeen: 'Widziany',
  vSegments: 'Segmenty',
  vFrom: 'z {source}',
  vUnknown: 'nieznane źródło',
  vBot: 'bot (pominięty w analizach)',
  vChance: 'Szansa na konwersję',
  vChanceTo: '{pct}, że dotrze do {goal} ({funnel})',
  vLanded: 'Strona wejścia',
  vNoInterest: 'Nie oceniono jeszcze żadnych zainteresowań (tematy przypisuje się stronom: zob. {readme}).',
  vAnswers: 'Odpowiedzi w ankietach',
  vNoAnswer: 'Brak odpowiedzi.',
  vFriction: 'Napotkane trudności',
  vNone: 'Brak.',
  'friction:u_turn': 'Zawrócenia',
  'friction:stall': 'Utknięcia na kroku',
  vTimeline: 'Oś czasu',
  vNewest: 'Najnowsze zdarzenia: {shown} z {n}.',
  vEvents: { one: '{n} zdarzenie.', few: '{n} zdarzenia.', many: '{n} zdarzeń.', other: '{n} zdarzenia.' },
  vSession: 'Sesja od {start}',
  vSessionEvents: { one: '({n} zdarzenie)', few: '({n} zdarzenia)', many: '({n} zdarzeń)', other: '({n} zdarzenia)' },
  vErase: 'Usuń tego odwiedzającego',
}
