// The desk's status, polled once a second and shared by the whole window. Screens re-read
// their data when `revision` moves: the cache applied new changes or a command was settled.
import { failureMessage, status as fetchStatus, type DeskStatus } from "../ipc";

class Sync {
  status = $state<DeskStatus | null>(null);
  failure = $state<string | null>(null);
  revision = $state(0);
  /** The time, to the minute, for what is due and overdue: it moves with the polls. */
  now = $state(new Date());
  #key = "";
  #timer: ReturnType<typeof setInterval> | null = null;

  start(everyMs = 1000) {
    if (this.#timer) return;
    void this.poll();
    this.#timer = setInterval(() => void this.poll(), everyMs);
  }

  /** Re-read now, after the admin did something. */
  async poll() {
    try {
      const next = await fetchStatus();
      const key = `${next.cursor}/${next.sync.pending}/${next.preparing ?? ""}`;
      this.status = next;
      this.failure = null;
      const now = new Date();
      if (Math.floor(now.getTime() / 60_000) !== Math.floor(this.now.getTime() / 60_000)) {
        this.now = now;
      }
      if (key !== this.#key) {
        this.#key = key;
        this.revision++;
      }
    } catch (error) {
      this.failure = failureMessage(error);
    }
  }
}

export const sync = new Sync();
