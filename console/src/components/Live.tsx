/** Follows an instance's event stream while shown, and says whether the page is live. */
import { useInstanceEvents } from "../api/events.js";

export function Live({ instance }: { instance: string }) {
  const { live } = useInstanceEvents(instance);
  return <span className={live ? "live on" : "live"}>{live ? "● live" : "○ refreshing every few seconds"}</span>;
}
