/** Text files embedded by the bundler (Vite's `?raw`), e.g. the built-in rule pack. */
declare module '*?raw' {
  const text: string;
  export default text;
}
