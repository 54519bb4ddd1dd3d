// Schemas built on first use. Building a zod schema takes microseconds, and the extension declares a few hundred at
// module level: built as their modules load, they were most of the time the editor waited for activation. A schema
// declared `export const X = lazySchema(() => z.object({...}))` is built the first time anything reads it (a parse,
// `.shape`, `.optional()`, JSON Schema generation) and from then on behaves as the schema itself. Its type is the
// schema's own, so `z.infer<typeof X>` and every call site stay as they are.
import * as z from 'zod';

/** Outermost kinds whose JSON Schema zod generates by looking up the very instance it was built as, which the
 *  stand-in is not: declare the inner schema lazily and apply the wrapper where it is used. */
const IDENTITY_BOUND_KINDS = new Set(['optional', 'nullable', 'nonoptional', 'default', 'prefault', 'catch', 'pipe', 'readonly', 'promise', 'lazy', 'record']);

const standIns = new WeakSet<object>();

export function lazySchema<T extends z.ZodType>(build: () => T): T {
  let schema: T | undefined;
  const built = (): T => {
    if (schema !== undefined) return schema;
    const made = build();
    const kind = made._zod.def.type;
    if (IDENTITY_BOUND_KINDS.has(kind)) {
      throw new Error(
        `lazySchema: a schema whose outermost kind is '${kind}' cannot be built on first use; declare the inner schema with lazySchema and apply '${kind}' where it is used.`,
      );
    }
    // Metadata (.describe(), .meta()) is kept per instance in zod's registry: give the stand-in the schema's own.
    const meta = z.globalRegistry.get(made);
    if (meta !== undefined) z.globalRegistry.add(standIn, meta);
    schema = made;
    return made;
  };
  // Every read goes to the built schema with the built schema as `this`, so a method reached through the stand-in
  // (.parse(), .optional(), .extend()) works on the schema itself.
  const standIn = new Proxy({} as T, {
    get: (_, key) => Reflect.get(built(), key),
    set: (_, key, value) => Reflect.set(built(), key, value),
    has: (_, key) => Reflect.has(built(), key),
    ownKeys: () => Reflect.ownKeys(built()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(built(), key);
      // A proxy may report a property as non-configurable only if its own (empty) target has it so.
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(built(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(built(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(built()),
  });
  standIns.add(standIn);
  return standIn;
}

/** Whether `value` was declared with lazySchema; reading this builds nothing. */
export function isLazySchema(value: unknown): boolean {
  return typeof value === 'object' && value !== null && standIns.has(value);
}
