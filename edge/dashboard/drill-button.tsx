/** @module dashboard/drill-button: a number as a button that opens the visitors behind it (behind.tsx lists them). */

/** A button showing a number (as `text`, when given), opening the visitors it counts. */
export const DrillButton = ({
  n,
  text,
  label,
  onDrill,
}: {
  n: number
  text?: string
  label: string
  onDrill(): void
}) =>
  n > 0 ? (
    <button type="button" class="link" aria-label={label} onClick={onDrill}>
      {text ?? n}
    </button>
  ) : (
    <>{text ?? n}</>
  )
