/** A small Server-Sent Events client over fetch, for the tests: frames as { id, event, data }. */

export interface SseFrame {
  id: string | null;
  event: string;
  data: string;
}

export interface SseResponse {
  status: number;
  headers: Headers;
  /** The frames as they arrive; ends when the server closes the stream or `signal` aborts. */
  frames: AsyncGenerator<SseFrame>;
  /** Comment lines (": ...") seen so far. */
  comments: string[];
}

export async function openSse(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<SseResponse> {
  const response = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal });
  const comments: string[] = [];
  async function* frames(): AsyncGenerator<SseFrame> {
    const decoder = new TextDecoder();
    let buffer = "";
    let frame: SseFrame = { id: null, event: "message", data: "" };
    let hasData = false;
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let nl;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (line === "") {
            if (hasData) yield frame;
            frame = { id: null, event: "message", data: "" };
            hasData = false;
          } else if (line.startsWith(":")) {
            comments.push(line);
          } else {
            const colon = line.indexOf(":");
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
            if (field === "id") frame.id = value;
            else if (field === "event") frame.event = value;
            else if (field === "data") {
              frame.data = hasData ? `${frame.data}\n${value}` : value;
              hasData = true;
            }
          }
        }
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }
  return { status: response.status, headers: response.headers, frames: frames(), comments };
}
