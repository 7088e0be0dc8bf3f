/**
 * Which downloads the sandbox corrupts: every one (the `corruptDownloads`
 * option), or the next few it is asked to (`corruptNextDownloads`).
 */

/** The operations whose answer is a document download with a Content-MD5 header. */
const DOWNLOADS = new Set(["GetReport", "GetFeedSubmissionResult"])

/**
 * The downloads still to corrupt. Each download answered uses one up,
 * unless every download is corrupted anyway.
 *
 * @internal
 */
export class DownloadCorruption {
  private readonly always: boolean
  private pending = 0

  constructor(always: boolean) {
    this.always = always
  }

  /** Corrupts `count` more downloads. */
  add(count: number): void {
    this.pending += count
  }

  /** Whether the download `operation` answers now is corrupted; called once per download answered. */
  take(operation: string): boolean {
    const corrupt = this.always || (this.pending > 0 && DOWNLOADS.has(operation))
    if (this.pending > 0 && !this.always) this.pending--
    return corrupt
  }
}
