/** @module text/emoji: what an emoji says, the same in every language. */
const POSITIVE = '😀😃😄😁😆😊🙂😍🥰😘😻👍👏🙌💪🔥💯❤🧡💛💚💙💜💖💗💓💕✨⭐🌟🚀🎉🥳✅👌🤩😎☺😇🤗🏆💎'
const NEGATIVE = '😡😠🤬😤🙄😒😞😔😟😕🙁☹😣😖😫😩😢😭😿💩🤮🤢👎💔😱😨😰🐌🐢⚠❌🤦😑🥱😬🫠💀'
const HALF = '🙏' // thanks, or please

/** +1, -1, +0.5 or 0 (🤷 🤔 😐 and any other). */
export function emojiValue(e: string): number {
  const c = [...e][0]!
  return POSITIVE.includes(c) ? 1 : NEGATIVE.includes(c) ? -1 : HALF.includes(c) ? 0.5 : 0
}
