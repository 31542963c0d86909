// React ships no types of its own (they are @types/react, not installed here): what ciel/react uses.
declare module 'react' {
  export function useState<T>(initial: T): [T, (v: T) => void]
  export function useEffect(fn: () => void | (() => void), deps?: unknown[]): void
  export function useLayoutEffect(fn: () => void | (() => void), deps?: unknown[]): void
}
