// Header widget: how much of the browser's storage quota Quarry uses, and whether the
// browser granted persistent storage (without it, data may be evicted under pressure).
import { useEffect, useState } from 'react';
import { formatBytes, storageInfo, type StorageInfo } from '../../db/storage';
import { useDataVersion } from '../../state/imports';

export function StorageMeter() {
  const [info, setInfo] = useState<StorageInfo | null>(null);
  const versions = useDataVersion();
  useEffect(() => {
    let live = true;
    const refresh = () => void storageInfo().then((i) => live && setInfo(i));
    refresh();
    const t = setInterval(refresh, 30_000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [versions]);
  if (!info) return null;
  const pct = info.quota > 0 ? (100 * info.usage) / info.quota : 0;
  return (
    <div
      className="storage"
      data-testid="storage"
      title={`${formatBytes(info.usage)} of ${formatBytes(info.quota)} used. ${info.persisted ? 'Persistent storage granted: the browser will not evict this data.' : 'Storage is not persistent: the browser may evict data when space runs low.'}`}
    >
      <span className="storage-bar">
        <span style={{ width: `${Math.max(1, pct)}%` }} />
      </span>
      <span>
        {formatBytes(info.usage)} / {formatBytes(info.quota)}
      </span>
      {!info.persisted && <span className="badge warn">not persistent</span>}
    </div>
  );
}
