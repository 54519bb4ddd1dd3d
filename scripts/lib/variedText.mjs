// Generated text of many kinds (English prose, source code, numbers and tables, Chinese, Japanese, Korean,
// Cyrillic, accented Latin, emoji, markdown and JSON), and chat examples made of it: what token estimates are
// calibrated and checked on. Deterministic for a seed. Plain JavaScript so node scripts can import it;
// TypeScript reads variedText.d.mts.
import { seededRandom } from './seededRandom.mjs';

const ENGLISH = (
  'the of and to a in is that for it as was with be by on not he this are or his from at which but have an they ' +
  'you were her all she there would their we him been has when who will more no if out so said what up its about ' +
  'into than them can only other new some could time these two may then do first any my now such like our over ' +
  'man me even most made after also did many before must through back years where much your way well down should ' +
  'because each just those people how too little state good very make world still own see men work long get here ' +
  'between both life being under never day same another know while last might us great old year off come since ' +
  'against go came right used take three gradient adapter learning rate warmup checkpoint tokenizer embedding ' +
  'transformer attention quantization inference latency throughput dataset validation evaluation perplexity ' +
  'kettle lamp river cloud warranty invoice shipping refund customer subscription password account'
).split(' ');

const CHINESE = [
  '今天天气很好，我们去公园散步吧。',
  '这个模型的训练损失一直在下降。',
  '请把数据集上传到服务器。',
  '我不太明白你的意思，可以再解释一下吗？',
  '学习率太高会导致训练不稳定。',
  '这家餐厅的菜非常好吃，价格也很合理。',
  '他每天早上六点起床，然后去跑步。',
  '我们需要在周五之前完成这个项目。',
  '机器学习是人工智能的一个重要分支。',
  '请问最近的地铁站在哪里？',
  '这本书讲述了一个关于友谊的故事。',
  '电脑突然死机了，所有的文件都没有保存。',
  '北京是中国的首都，有很多历史古迹。',
  '孩子们在操场上快乐地玩耍。',
  '价格上涨了百分之十五。',
  '欢迎使用我们的客户服务系统。',
];
const JAPANESE = [
  '今日はとても良い天気ですね。',
  'このモデルの学習率を下げてください。',
  '駅までどのくらいかかりますか？',
  'データセットに誤りが見つかりました。',
  '明日の会議は午後三時からです。',
  'ありがとうございます、助かりました。',
  '東京タワーから富士山が見えました。',
  'プログラムを実行するとエラーが出ます。',
  '日本語の勉強を始めて三年になります。',
  'コーヒーを一杯お願いします。',
  '新しいスマートフォンを買いました。',
  '週末は家族と温泉に行く予定です。',
];
const KOREAN = [
  '오늘 날씨가 정말 좋네요.',
  '이 문제를 어떻게 해결할 수 있을까요?',
  '회의는 내일 오전 열 시에 시작합니다.',
  '데이터를 다시 확인해 주세요.',
  '저는 서울에서 태어나고 자랐습니다.',
  '학습 속도가 너무 느립니다.',
  '감사합니다. 좋은 하루 보내세요.',
  '주문하신 상품이 발송되었습니다.',
];
const RUSSIAN = [
  'Сегодня прекрасная погода для прогулки.',
  'Модель обучается уже третий день.',
  'Пожалуйста, проверьте данные ещё раз.',
  'Я не понимаю, почему возникает эта ошибка.',
  'Москва — столица России.',
  'Спасибо за вашу помощь!',
  'Встреча перенесена на пятницу.',
];
const ACCENTED = [
  'Le café est très chaud ce matin, n’est-ce pas ?',
  'Die Größe des Modells ist überraschend gering.',
  '¿Dónde está la estación de tren más cercana?',
  'Ça coûte à peu près vingt-cinq euros.',
  'Příliš žluťoučký kůň úpěl ďábelské ódy.',
  'Zażółć gęślą jaźń.',
  'A ação foi concluída com êxito.',
];
const EMOJI = ['😀', '🎉', '👍', '🚀', '❤️', '🔥', '🤖', '✅', '📈', '🙏', '😂', '👩‍💻', '🇫🇷', '⭐', '🍕', '💡'];
const IDENTIFIERS = [
  'value',
  'count',
  'items',
  'result',
  'config',
  'tokenizer',
  'batchSize',
  'learning_rate',
  'model',
  'index',
  'buffer',
  'data',
  'options',
  'i',
  'x',
  'total',
];

const pick = (random, list) => list[Math.floor(random() * list.length)];
const int = (random, lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

function sentence(random) {
  const words = Array.from({ length: int(random, 5, 18) }, () => pick(random, ENGLISH));
  words[0] = words[0][0].toUpperCase() + words[0].slice(1);
  if (random() < 0.2) words.splice(int(random, 1, words.length - 1), 0, `${int(random, 2, 1999)}`);
  if (random() < 0.15) words.splice(int(random, 1, words.length - 1), 0, `"${pick(random, ENGLISH)}"`);
  const comma = random() < 0.4 ? int(random, 2, words.length - 2) : -1;
  return words.map((w, i) => (i === comma ? `${w},` : w)).join(' ') + pick(random, ['.', '.', '.', '?', '!']);
}

const prose = (random) => Array.from({ length: int(random, 1, 6) }, () => sentence(random)).join(' ');

function code(random) {
  const lines = [];
  const fn = pick(random, IDENTIFIERS);
  if (random() < 0.5) {
    lines.push(`def compute_${fn}(${pick(random, IDENTIFIERS)}, ${pick(random, IDENTIFIERS)}=None):`);
    for (let i = int(random, 2, 8); i > 0; i--) {
      lines.push(
        `    ${pick(random, IDENTIFIERS)} = ${pick(random, IDENTIFIERS)}[${int(random, 0, 9)}] * ${(random() * 10).toFixed(2)}  # ${pick(random, ENGLISH)} ${pick(random, ENGLISH)}`,
      );
      if (random() < 0.3) lines.push(`    if ${pick(random, IDENTIFIERS)} > ${int(random, 0, 100)}:\n        return None`);
    }
    lines.push(`    return ${pick(random, IDENTIFIERS)}`);
  } else {
    lines.push(`export function ${fn}(${pick(random, IDENTIFIERS)}: number[], ${pick(random, IDENTIFIERS)}?: string): number {`);
    for (let i = int(random, 2, 8); i > 0; i--) {
      lines.push(
        `  const ${pick(random, IDENTIFIERS)} = ${pick(random, IDENTIFIERS)}.map((v) => v * ${int(random, 1, 64)}).filter(Boolean); // ${pick(random, ENGLISH)}`,
      );
      if (random() < 0.3) lines.push(`  if (!${pick(random, IDENTIFIERS)}) throw new Error(\`missing ${pick(random, ENGLISH)}\`);`);
    }
    lines.push(`  return ${pick(random, IDENTIFIERS)}.length;\n}`);
  }
  return lines.join('\n');
}

function numbers(random) {
  const rows = [];
  for (let r = int(random, 2, 8); r > 0; r--) {
    const cells = Array.from({ length: int(random, 2, 6) }, () =>
      pick(random, [
        `${int(random, 0, 99999)}`,
        (random() * 1000).toFixed(int(random, 1, 4)),
        `${int(random, 1990, 2030)}-${String(int(random, 1, 12)).padStart(2, '0')}-${String(int(random, 1, 28)).padStart(2, '0')}`,
        `${int(random, 1, 100)}%`,
        `$${(random() * 500).toFixed(2)}`,
      ]),
    );
    rows.push(`| ${cells.join(' | ')} |`);
  }
  return rows.join('\n');
}

const phrases = (random, list, lo, hi) => Array.from({ length: int(random, lo, hi) }, () => pick(random, list)).join('');
const spaced = (random, list, lo, hi) => Array.from({ length: int(random, lo, hi) }, () => pick(random, list)).join(' ');

function emoji(random) {
  return Array.from({ length: int(random, 3, 12) }, () => (random() < 0.4 ? pick(random, EMOJI) : pick(random, ENGLISH))).join(' ');
}

function markdown(random) {
  return `## ${sentence(random)}\n\n- **${pick(random, ENGLISH)}**: ${sentence(random)}\n- \`${pick(random, IDENTIFIERS)}\` → ${sentence(random)}\n\n${JSON.stringify({ [pick(random, IDENTIFIERS)]: int(random, 0, 999), [pick(random, IDENTIFIERS)]: pick(random, ENGLISH), ok: random() < 0.5 })}`;
}

/** The kinds of text, each a generator taking a random source. */
export const TEXT_KINDS = {
  prose,
  code,
  numbers,
  chinese: (random) => phrases(random, CHINESE, 1, 6),
  japanese: (random) => phrases(random, JAPANESE, 1, 6),
  korean: (random) => spaced(random, KOREAN, 1, 5),
  russian: (random) => spaced(random, RUSSIAN, 1, 5),
  accented: (random) => spaced(random, ACCENTED, 1, 5),
  emoji,
  markdown,
  mixed: (random) => `${sentence(random)} ${pick(random, CHINESE)} ${pick(random, EMOJI)} ${int(random, 0, 1e6)} ${pick(random, RUSSIAN)}`,
};

/** One text of a random kind. */
export function variedText(random) {
  return pick(random, Object.values(TEXT_KINDS))(random);
}

/** `count` openai-chat JSONL lines (without newlines): a system prompt, then 1-3 exchanges of varied text. */
export function variedChatLines(seed, count) {
  const random = seededRandom(seed);
  const system = Array.from({ length: 4 }, () => `You are a helpful assistant. ${prose(random)}`);
  const out = [];
  for (let i = 0; i < count; i++) {
    const messages = random() < 0.7 ? [{ role: 'system', content: pick(random, system) }] : [];
    for (let t = int(random, 1, 3); t > 0; t--) {
      messages.push({ role: 'user', content: variedText(random) });
      messages.push({ role: 'assistant', content: Array.from({ length: int(random, 1, 3) }, () => variedText(random)).join('\n\n') });
    }
    out.push(JSON.stringify({ messages }));
  }
  return out;
}
