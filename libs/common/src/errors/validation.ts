import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorDetail, validationFailed } from './app-error';

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) out.push({ field, message });
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

const FREE_TEXT_KEY = 'jicai:free-text';

/**
 * Marks a DTO field as free text (a note, a comment): tab, line feed and carriage return are
 * allowed in it. Every other string field refuses them too.
 */
export const FreeText = (): PropertyDecorator => (target, key) => Reflect.defineMetadata(FREE_TEXT_KEY, true, target, key);

/** C0 controls but tab, LF and CR; DEL; C1 controls; a high surrogate without its low one, or a low one alone. */
const CONTROL_OR_LONE_SURROGATE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LINE_BREAKS_AND_TABS = /[\t\n\r]/;

function describe(ch: string): string {
  return `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Every string a request carries (body, query, path), at any depth: control characters and lone
 * surrogates are refused (a NUL truncates in C libraries and logs, a lone surrogate is not
 * Unicode and breaks UTF-8 storage and exports); tab and line breaks only in @FreeText fields.
 */
export function findUnsafeText(value: unknown, path: string, freeText = false, out: ErrorDetail[] = [], depth = 0): ErrorDetail[] {
  if (depth > 32 || out.length >= 20) return out;
  if (typeof value === 'string') {
    const bad = CONTROL_OR_LONE_SURROGATE.exec(value) ?? (freeText ? null : LINE_BREAKS_AND_TABS.exec(value));
    if (bad) {
      const what = /[\uD800-\uDFFF]/.test(bad[0]) ? 'a lone surrogate (not Unicode text)' : `the control character ${describe(bad[0])}`;
      out.push({ field: path || undefined, message: `${path || 'value'} must not contain ${what}` });
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => findUnsafeText(v, path ? `${path}.${i}` : String(i), freeText, out, depth + 1));
  } else if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    for (const [k, v] of Object.entries(value)) {
      const free = Reflect.getMetadata(FREE_TEXT_KEY, value, k) === true;
      findUnsafeText(v, path ? `${path}.${k}` : k, free, out, depth + 1);
    }
  }
  return out;
}

/** class-validator's pipe, then the text check of findUnsafeText on what it let through. */
class JicaiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const out = await super.transform(value, metadata);
    if (metadata.type === 'custom') return out;
    const problems = findUnsafeText(out, metadata.data ?? '');
    if (problems.length) throw validationFailed('Text must not contain control characters or lone surrogates', problems);
    return out;
  }
}

/**
 * Every request body and query is validated; failures answer 400 VALIDATION_FAILED with per-field
 * details. Text is checked for control characters and lone surrogates (findUnsafeText).
 */
export function createValidationPipe(): ValidationPipe {
  return new JicaiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => validationFailed('Request validation failed', flatten(errors)),
  });
}
