// Where a model's tokenizer files are and what they hold, behind an interface so src/core stays free of I/O
// (src/platform/nodeTokenizerFiles.ts looks on this machine's disk and in its Hugging Face cache).

export interface TokenizerFiles {
  /** The tokenizer.json a source names (the path itself, a model folder, or a model id in the local Hugging Face
   *  cache), or undefined when there is none. */
  find(source: string): Promise<string | undefined>;
  /** A text file's content, or undefined when it does not exist; rejects when it exists but cannot be read. */
  readText(path: string): Promise<string | undefined>;
  /** The entry names of a folder; empty when it does not exist. */
  list(folder: string): Promise<string[]>;
}
