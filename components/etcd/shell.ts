// Kept only for health-gate.ts, which imports "./shell"; shell-quote.ts is the one implementation.
export { shellQuote } from "./shell-quote";
