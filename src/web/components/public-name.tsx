import type { PublicName as Name } from '../api.ts';
import { formatPublicName } from '../format.ts';

/**
 * Another user's display name with their tag beside it ("alice #K3F9QZ"), so
 * that an impersonator who copies a display name is still told apart. The name
 * sits in <bdi>: a right-to-left name is isolated and cannot reorder the tag
 * or the text around it.
 */
export function PublicName({ name }: { name: Name | null }) {
  if (name === null) return <>…</>;
  return (
    <span class="public-name" title={formatPublicName(name)}>
      <bdi>{name.displayName}</bdi>
      {name.tag ? <span class="public-name__tag"> #{name.tag}</span> : null}
    </span>
  );
}
