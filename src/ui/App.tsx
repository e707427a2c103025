export function App() {
  return <main>Quarry</main>;
}
