// Preloaded into every measured child process: reports its peak RSS on fd 3 when it exits, so the
// harness measures memory the same way for our code and for the anchors (daff, csv-parse).
import { writeSync } from 'node:fs';

process.on('exit', () => {
  try {
    writeSync(3, `${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })}\n`);
  } catch {
    // fd 3 is only open when the harness started us
  }
});
