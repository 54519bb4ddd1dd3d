// Content-part lists ([{"type": "text", "text": ...}, {"type": "image_url", "image_url": ...}]), accepted
// wherever a format takes a text (a chat message's content, a ShareGPT value, a prompt, a completion...), so
// every format reads them the same way. A text-only model is trained on the text parts; image parts are
// dropped (counted here, reported once per file by the dataset pass).
import type { JsonPath } from '../jsonLocate';
import { valueAt, type LineIssue } from '../issues';
import { isObject } from './shape';

export interface ContentPartTexts {
  texts: string[];
  /** Image parts, which a text-only model drops. */
  images: number;
}

/** The text parts of a content-part list; malformed parts are reported as invalid_content at `path`/index. */
export function contentPartTexts(parts: readonly unknown[], path: JsonPath, where: string, issues: LineIssue[]): ContentPartTexts {
  const out: ContentPartTexts = { texts: [], images: 0 };
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    if (isObject(part) && part.type === 'text' && typeof part.text === 'string') out.texts.push(part.text);
    else if (isObject(part) && part.type === 'image_url' && part.image_url !== undefined) out.images++;
    else {
      issues.push({
        code: 'invalid_content',
        message: `Content part ${p + 1} of ${where} must be {"type": "text", "text": ...} or {"type": "image_url", "image_url": ...}.`,
        at: valueAt(...path, p),
      });
    }
  }
  return out;
}
