// One embedding worker per mounted page. StrictMode runs effects twice in dev: the first
// worker is terminated in the cleanup, so only one stays alive.
import { useEffect, useState } from 'react';
import { createEmbedClient, type EmbedClient } from '../../../workers/embed/client';

export function useEmbedClient(): EmbedClient | null {
  const [client, setClient] = useState<EmbedClient | null>(null);
  useEffect(() => {
    const c = createEmbedClient();
    setClient(c);
    return () => {
      c.dispose();
      setClient(null);
    };
  }, []);
  return client;
}
