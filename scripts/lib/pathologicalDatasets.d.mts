export interface PathologicalExpectation {
  /** Lines in the file. */
  lines: number;
  /** The rule code the class produces many findings of (null: none in particular). */
  code: string | null;
  /** How many findings of `code` a validator must count. */
  count: number;
}

export interface PathologicalClass {
  description: string;
  expect(scale: number): PathologicalExpectation;
  lines(scale: number): Generator<string>;
}

export declare const PATHOLOGICAL_CLASSES: Record<
  'hugeArray' | 'hugeConversation' | 'duplicateLines' | 'manyKeys' | 'manyMessageKeys' | 'deepNesting' | 'invalidLines' | 'unknownFormatLines' | 'longRuns',
  PathologicalClass
>;
export type PathologicalClassName = keyof typeof PATHOLOGICAL_CLASSES;
export declare const PATHOLOGICAL_CLASS_NAMES: PathologicalClassName[];
/** Writes the class's lines to `path` ('\n'-terminated); returns the number of lines. */
export declare function writePathological(name: PathologicalClassName, path: string, scale?: number): number;
