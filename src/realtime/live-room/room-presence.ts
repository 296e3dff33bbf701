/**
 * Who is in one room, over every node: this node's signed-in users (with how many sockets each has here)
 * and what the other nodes last said of theirs. Pure bookkeeping; LiveRooms moves the messages.
 */
export class RoomPresence {
  /** Sockets per signed-in user on this node. */
  private readonly local = new Map<string, number>();
  /** The other nodes' users, with when their word expires (clock ms). */
  private readonly remote = new Map<string, { users: readonly string[]; expiresAt: number }>();
  /** The count last announced to the room's sockets. */
  private announced = 0;
  /** This node has had signed-in users in the room (its departure is worth telling the others). */
  hadLocalUsers = false;

  constructor(
    private readonly nodeId: string,
    private readonly ttlMs: number,
  ) {}

  /** Distinct signed-in users over every node, as last announced. */
  get count(): number {
    return this.announced;
  }

  get hasLocalUsers(): boolean {
    return this.local.size > 0;
  }

  get localUsers(): string[] {
    return [...this.local.keys()];
  }

  isLocal(userId: string): boolean {
    return this.local.has(userId);
  }

  /** One more socket of `userId` here; true when it is the user's first (the set changed). */
  arrive(userId: string): boolean {
    const sockets = this.local.get(userId) ?? 0;
    this.local.set(userId, sockets + 1);
    this.hadLocalUsers = true;
    return sockets === 0;
  }

  /** One socket of `userId` fewer here; true when it was the user's last (the set changed). */
  depart(userId: string): boolean {
    const sockets = this.local.get(userId) ?? 0;
    if (sockets <= 1) {
      this.local.delete(userId);
      return sockets === 1;
    }
    this.local.set(userId, sockets - 1);
    return false;
  }

  /** Another node's users, believed until `now + ttl` (an empty list: it has none). */
  heard(node: string, users: readonly string[], now: number): void {
    if (node === this.nodeId) return;
    if (users.length === 0) this.remote.delete(node);
    else this.remote.set(node, { users, expiresAt: now + this.ttlMs });
  }

  /** Forgets nodes not heard from in time and counts again; true when the count differs from the last one. */
  recount(now: number): boolean {
    const users = new Set(this.local.keys());
    for (const [node, word] of this.remote) {
      if (word.expiresAt <= now) this.remote.delete(node);
      else for (const user of word.users) users.add(user);
    }
    if (users.size === this.announced) return false;
    this.announced = users.size;
    return true;
  }
}
