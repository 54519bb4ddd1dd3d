import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { displayTurns, literalMarkdown, renderPreview } from '../../../src/vscode/datasets/previewMarkdown';

// The CommonMark renderer VS Code's Markdown preview is built on, configured like it (HTML and bare links on).
const MarkdownIt = createRequire(__filename)('markdown-it') as new (options: object) => { render(src: string): string };
const render = (md: string) => new MarkdownIt({ html: true, linkify: true }).render(md);

describe('displayTurns', () => {
  it('shows every format as turns', () => {
    expect(
      displayTurns({
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: [{ type: 'text', text: 'yo' }] },
        ],
      }),
    ).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'yo' },
    ]);
    expect(
      displayTurns({
        conversations: [
          { from: 'human', value: 'q' },
          { from: 'gpt', value: 'a' },
        ],
      }),
    ).toEqual([
      { role: 'human', content: 'q' },
      { role: 'gpt', content: 'a' },
    ]);
    expect(displayTurns({ instruction: 'Sum', input: '1 2', output: '3', system: 'calc' })).toEqual([
      { role: 'system', content: 'calc' },
      { role: 'user', content: 'Sum\n\n1 2' },
      { role: 'assistant', content: '3' },
    ]);
    expect(displayTurns({ prompt: 'p', completion: 'c' })).toEqual([
      { role: 'prompt', content: 'p' },
      { role: 'completion', content: 'c' },
    ]);
    expect(displayTurns({ text: 't' })).toEqual([{ role: 'text', content: 't' }]);
  });

  it('returns undefined for shapes it does not know', () => {
    expect(displayTurns([1, 2])).toBeUndefined();
    expect(displayTurns({ foo: 1 })).toBeUndefined();
    expect(displayTurns('text')).toBeUndefined();
  });

  it("reads only an example's own fields, whatever names its roles and keys use", () => {
    // Field names that Object.prototype carries must not make an example look like a format.
    expect(displayTurns(Object.create({ text: 'inherited' }))).toBeUndefined();
    expect(displayTurns(Object.create({ prompt: 'p', completion: 'c' }))).toBeUndefined();
    expect(displayTurns(Object.create({ instruction: 'i', output: 'o' }))).toBeUndefined();
    expect(displayTurns(JSON.parse('{"__proto__": {"text": "t"}}'))).toBeUndefined();
    expect(
      displayTurns(JSON.parse('{"messages": [{"role": "constructor", "content": "a"}, {"role": "__proto__", "content": "b"}, {"role": "toString"}]}')),
    ).toEqual([
      { role: 'constructor', content: 'a' },
      { role: '__proto__', content: 'b' },
      { role: 'toString', content: '' },
    ]);
    expect(displayTurns(JSON.parse('{"conversations": [{"from": "hasOwnProperty", "value": "q"}]}'))).toEqual([{ role: 'hasOwnProperty', content: 'q' }]);
  });

  it('mentions tool calls and images', () => {
    const turns = displayTurns({
      messages: [
        { role: 'assistant', tool_calls: [{ id: 'c1' }] },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] },
      ],
    })!;
    expect(turns[0].content).toContain('tool calls');
    expect(turns[1].content).toBe('[image]');
  });
});

describe('renderPreview', () => {
  it('renders conversations with line numbers, and bad lines without failing', () => {
    const md = renderPreview(
      'train.jsonl',
      [
        { line: 1, text: '{"messages":[{"role":"user","content":"# not a heading <script>"}]}' },
        { line: 3, text: '{"broken": ' },
        { line: 4, text: '{"unknown": true}' },
      ],
      true,
    );
    expect(md).toContain('# train\\.jsonl');
    expect(md).toContain('more follow');
    expect(md).toContain('## Line 1');
    expect(md).toContain('> \\# not a heading \\<script\\>');
    expect(md).not.toContain('<script>');
    expect(md).toContain('## Line 3\n\n_Not valid JSON:_');
    expect(md).toContain('_Unrecognised shape:_');
  });

  it('clips very long content', () => {
    const md = renderPreview('x.jsonl', [{ line: 1, text: JSON.stringify({ text: 'a'.repeat(5000) }) }], false, 100);
    expect(md).toContain('(4900 more characters)');
  });
});

describe('dataset text in the preview', () => {
  const hostile = [
    '![x](http://evil/pixel.png)',
    '<img src="http://evil/img.png">',
    '<img src=http://evil/a.png onerror=alert(1)>',
    '<http://evil/autolink>',
    '<mail@evil.example>',
    '[click](https://evil/phish "title")',
    '![ref image][r]\n\n[r]: http://evil/ref.png',
    '[ref link][]\n\n[ref link]: <https://evil/ref>',
    'bare https://evil.example/x and www.evil.example and evil.example/path',
    '<iframe src="https://evil/"></iframe><style>body{background:url(http://evil/bg)}</style>',
    '<svg><image href="http://evil/svg.png"/></svg>',
    '    ![indented](http://evil/code.png)',
    '\\![escaped backslash](http://evil/bs.png)',
    '&lt;img src=http://evil/entity.png&gt; &#60;img src=x&#62;',
    '# heading\n- list\n1. item\n> quote\n| a | b |\n|---|---|\n**bold** _em_ `code` ~~strike~~',
  ];

  it('never renders an image, a link or HTML, and shows the text as written', () => {
    const lines = hostile.map((content, i) => ({
      line: i + 1,
      text: JSON.stringify({
        messages: [
          { role: 'user', content },
          { role: 'assistant', content },
        ],
      }),
    }));
    const html = render(renderPreview('data.jsonl', lines, false));
    // Only the preview's own structure: the file name, one heading per line, one bold role per turn.
    expect(html).not.toMatch(/<(img|a|iframe|style|svg|image|script|code|pre|h[3-6]|ul|ol|li|table|em|del|s)\b/i);
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(html.match(/<h2>/g)).toHaveLength(hostile.length);
    expect(html.match(/<strong>/g)).toHaveLength(2 * hostile.length);
    expect(html).not.toMatch(/<[^>]*\b(src|href)=/i);
    expect(html).toContain('![x](http://evil/pixel.png)');
    expect(html).toContain('&lt;img src=&quot;http://evil/img.png&quot;&gt;');
    expect(html).toContain('[r]: http://evil/ref.png');
  });

  it('keeps roles and the file name literal too', () => {
    const line = JSON.stringify({ messages: [{ role: '![r](http://evil/role.png)', content: 'hi' }] });
    const html = render(renderPreview('![f](http://evil/file.png).jsonl', [{ line: 1, text: line }], false));
    expect(html).not.toMatch(/<(img|a)\b/i);
    expect(html).toContain('![r](http://evil/role.png)');
    expect(html).toContain('![f](http://evil/file.png).jsonl');
  });

  it('shows roles named like Object.prototype members as written', () => {
    const line = JSON.stringify({
      messages: [
        { role: 'constructor', content: 'a' },
        { role: '__proto__', content: 'b' },
      ],
    });
    const html = render(
      renderPreview(
        'x.jsonl',
        [
          { line: 1, text: line },
          { line: 2, text: '{"__proto__": {"text": "t"}}' },
        ],
        false,
      ),
    );
    expect(html).toContain('<strong>constructor</strong>');
    expect(html).toContain('<strong>__proto__</strong>');
    expect(html).toContain('Unrecognised shape');
  });

  it('keeps code blocks closed whatever backtick runs the line holds', () => {
    // A line of the file holds no \n, but a bare \r ends a line in Markdown.
    for (const line of ['{"bad": "\r````\r![x](http://evil/fence.png)\r```', '{"bad": "\r```\r<img src=http://evil/j.png>\r```']) {
      const html = render(renderPreview('x.jsonl', [{ line: 1, text: line }], false));
      expect(html).not.toMatch(/<(img|a)\b/i);
      expect(html.match(/<pre>/g)).toHaveLength(1);
    }
  });

  it('renders every printable ASCII character as itself', () => {
    let ascii = '';
    for (let c = 0x21; c < 0x7f; c++) ascii += String.fromCharCode(c);
    const html = render(literalMarkdown(ascii));
    const text = html
      .replace(/<\/?p>|\n/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
    expect(text).toBe(ascii);
  });
});
