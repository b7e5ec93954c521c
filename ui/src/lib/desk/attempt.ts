// An admin's action, run: the words of its failure, or null when it worked.
import { failureMessage } from "../ipc";

export async function attempt(run: () => Promise<unknown>): Promise<string | null> {
  try {
    await run();
    return null;
  } catch (error) {
    return failureMessage(error);
  }
}
