export declare const hostEntries: Record<string, string>;
export declare const extensionBundles: string[];
