// React ships no types of its own (@types/react is not installed): what the test apps use.
declare module 'react' {
  export function createElement(type: unknown, props?: Record<string, unknown> | null, ...children: unknown[]): unknown
}
declare module 'react-dom/client' {
  export function createRoot(el: Element): { render: (app: unknown) => void }
  export function hydrateRoot(el: Element, app: unknown): unknown
}
declare module 'react-dom/server' {
  export function renderToString(app: unknown): string
}
