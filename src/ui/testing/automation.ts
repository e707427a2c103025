// The window.__quarryTest hooks (Review, Export) let e2e tests and the benchmark seed rows
// through the page. They are installed only when the browser is driven by automation
// (navigator.webdriver, which Playwright and WebDriver set), so a user's tab never has them.
export function underAutomation(): boolean {
  return typeof window !== 'undefined' && typeof navigator !== 'undefined' && navigator.webdriver === true;
}
