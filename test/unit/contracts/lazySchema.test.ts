import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { isLazySchema, lazySchema } from '../../../src/contracts/lazySchema';

/** A lazily declared pair of schemas, counting how often each is built. */
function declare() {
  const builds = { point: 0, track: 0 };
  const Point = lazySchema(() => {
    builds.point++;
    return z.object({ x: z.number(), y: z.number().optional() }).describe('A point.');
  });
  const Track = lazySchema(() => {
    builds.track++;
    return z.object({ name: z.string().min(1), points: z.array(Point), start: Point.optional(), end: Point.nullable().default(null) });
  });
  return { Point, Track, builds };
}

describe('lazySchema', () => {
  it('builds nothing when declared, then builds once, on the first read', () => {
    const { Point, Track, builds } = declare();
    expect(builds).toEqual({ point: 0, track: 0 });
    expect(isLazySchema(Track)).toBe(true);
    expect(builds).toEqual({ point: 0, track: 0 });

    expect(Track.parse({ name: 't', points: [] })).toEqual({ name: 't', points: [], end: null });
    expect(builds).toEqual({ point: 1, track: 1 });
    Track.parse({ name: 't', points: [{ x: 1 }] });
    Point.parse({ x: 2 });
    expect(builds).toEqual({ point: 1, track: 1 });
  });

  it('behaves as the schema it builds: errors, shape, derived schemas, instanceof, unions', () => {
    const { Point, Track } = declare();
    const bad = Track.safeParse({ name: '', points: [{ x: 'one' }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['name', 'points.0.x']);
    expect(Object.keys(Point.shape)).toEqual(['x', 'y']);
    expect(Point.extend({ z: z.number() }).parse({ x: 1, y: 2, z: 3 })).toEqual({ x: 1, y: 2, z: 3 });
    expect(Point.pick({ x: true }).parse({ x: 1, y: 2 })).toEqual({ x: 1 });
    expect(Point instanceof z.ZodObject).toBe(true);
    expect(Point.description).toBe('A point.');
    const Shape = z.discriminatedUnion('kind', [
      lazySchema(() => z.object({ kind: z.literal('point'), at: Point })),
      lazySchema(() => z.object({ kind: z.literal('track'), track: Track })),
    ]);
    expect(Shape.parse({ kind: 'point', at: { x: 1 } })).toEqual({ kind: 'point', at: { x: 1 } });
    expect(Shape.safeParse({ kind: 'line' }).success).toBe(false);
  });

  it('gives the same JSON Schema as the schema declared eagerly, descriptions included', () => {
    const { Track } = declare();
    const EagerPoint = z.object({ x: z.number(), y: z.number().optional() }).describe('A point.');
    const EagerTrack = z.object({
      name: z.string().min(1),
      points: z.array(EagerPoint),
      start: EagerPoint.optional(),
      end: EagerPoint.nullable().default(null),
    });
    for (const io of ['input', 'output'] as const) {
      expect(z.toJSONSchema(Track, { io })).toEqual(z.toJSONSchema(EagerTrack, { io }));
    }
  });

  it('refuses, saying what to do, an outermost kind that JSON Schema generation needs the instance of', () => {
    const Maybe = lazySchema(() => z.string().optional());
    expect(() => Maybe.parse('a')).toThrow(
      "lazySchema: a schema whose outermost kind is 'optional' cannot be built on first use; declare the inner schema with lazySchema and apply 'optional' where it is used.",
    );
  });
});

// Every module that declares schemas is loaded when the extension activates: a schema declared without lazySchema
// is built then, and the editor waits for it.
const root = join(__dirname, '..', '..', '..');
function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(folder, file));
}

describe('schemas exported by contracts, shared and core', () => {
  it('are all declared with lazySchema', async () => {
    const eager: string[] = [];
    for (const file of ['src/contracts', 'src/shared', 'src/core'].flatMap(sourceFiles)) {
      const exports: Record<string, unknown> = await import(join(root, file));
      for (const [name, value] of Object.entries(exports)) {
        if (isLazySchema(value)) continue;
        if (typeof value === 'object' && value !== null && '_zod' in value) eager.push(`${file}: ${name}`);
      }
    }
    expect(eager, 'declare these as `lazySchema(() => ...)` (src/contracts/lazySchema.ts)').toEqual([]);
  });
});
