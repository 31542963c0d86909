/**
 * @module dashboard/width: the width of a box in CSS pixels, kept as it resizes. The dashboard's
 * own SVG charts are drawn at that size, one unit a pixel, so their text stays the size the
 * stylesheet says on a phone too instead of shrinking with a scaled-down viewBox.
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks'

/** A ref for the box, and its width (`fallback` until it is measured). */
export function useWidth<E extends HTMLElement>(fallback: number) {
  const ref = useRef<E>(null)
  const [width, setWidth] = useState(fallback)
  useLayoutEffect(() => {
    const el = ref.current!
    const measure = () => {
      const style = getComputedStyle(el)
      const inner = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
      if (inner > 0) setWidth(Math.floor(inner))
    }
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(el)
    return () => observer.disconnect()
  }, [])
  return [ref, width] as const
}
