/** The failed tests of a Bun JUnit report, for `bun run test` (scripts/test.ts) to list at the end. */

export interface FailedTest {
  file: string;
  name: string;
  message: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return ENTITIES[entity] ?? whole;
  });
}

function attribute(attributes: string, name: string): string {
  const match = new RegExp(`\\b${name}="([^"]*)"`).exec(attributes);
  return match ? decode(match[1] ?? '') : '';
}

/** The failed (or errored) test cases of a JUnit report, with their describe path and first message line. */
export function failedTests(xml: string): FailedTest[] {
  const failed: FailedTest[] = [];
  const suites: string[] = [];
  let open: { file: string; name: string } | null = null;
  let reported = false;
  for (const tag of xml.matchAll(/<(\/?)(testsuite|testcase|failure|error)\b([^>]*?)(\/?)>/g)) {
    const [, closing, kind, attributes = '', selfClosing] = tag;
    if (kind === 'testsuite') {
      if (closing) suites.pop();
      else if (!selfClosing) suites.push(attribute(attributes, 'name'));
    } else if (kind === 'testcase') {
      if (closing || selfClosing) {
        open = null;
      } else {
        // The outermost suite is the file itself.
        const name = [...suites.slice(1), attribute(attributes, 'name')].join(' > ');
        open = { file: attribute(attributes, 'file') || (suites[0] ?? ''), name };
        reported = false;
      }
    } else if (open && !closing && !reported) {
      const message = attribute(attributes, 'message').trim().split('\n')[0] ?? '';
      failed.push({ ...open, message });
      reported = true;
    }
  }
  return failed;
}
