// Types for variedText.mjs.
export declare const TEXT_KINDS: Record<string, (random: () => number) => string>;
export declare function variedText(random: () => number): string;
export declare function variedChatLines(seed: number, count: number): string[];
