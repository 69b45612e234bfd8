import { ValidationError } from '../errors';

/**
 * Topics are dot-separated tokens (`order.filled`). Patterns follow NATS subject wildcards so the in-process bus and
 * the JetStream adapter match exactly the same topics: `*` stands for one token, a final `>` for one or more tokens.
 */

/** The topic names of a topic map. */
export type TopicOf<T> = Extract<keyof T, string>;

/** A topic name or a wildcard pattern over the topics of `T`. */
export type TopicPattern<T> = TopicOf<T> | `${string}*${string}` | `${string}>`;

type TokenMatches<TopicToken extends string, PatternToken extends string> = PatternToken extends '*'
  ? true
  : PatternToken extends TopicToken
    ? true
    : false;

/** Whether the topic literal `Topic` is matched by the pattern literal `Pattern` (type-level twin of `topicMatches`). */
export type TopicMatchesPattern<Topic extends string, Pattern extends string> = Pattern extends '>'
  ? true
  : Pattern extends `${infer PatternHead}.${infer PatternRest}`
    ? Topic extends `${infer TopicHead}.${infer TopicRest}`
      ? TokenMatches<TopicHead, PatternHead> extends true
        ? TopicMatchesPattern<TopicRest, PatternRest>
        : false
      : false
    : Topic extends `${string}.${string}`
      ? false
      : TokenMatches<Topic, Pattern>;

/** The topics of `T` that pattern `P` matches; every topic when `T` is an open `Record<string, …>`. */
export type MatchingTopic<T, P extends string> =
  string extends TopicOf<T>
    ? TopicOf<T>
    : { [K in TopicOf<T>]: TopicMatchesPattern<K, P> extends true ? K : never }[TopicOf<T>];

const TOKEN = /^[A-Za-z0-9_-]+$/;

function problemsOf(text: string, allowWildcards: boolean): string | undefined {
  if (text.length === 0) return 'must not be empty';
  const tokens = text.split('.');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (allowWildcards && token === '*') continue;
    if (allowWildcards && token === '>') {
      if (i !== tokens.length - 1) return `'>' is only allowed as the last token`;
      continue;
    }
    if (!TOKEN.test(token)) {
      return allowWildcards
        ? `token ${JSON.stringify(token)} must be '*', a final '>' or letters, digits, '_' and '-'`
        : `token ${JSON.stringify(token)} must be letters, digits, '_' and '-' (no wildcards in a published topic)`;
    }
  }
  return undefined;
}

/** Throws a ValidationError unless `topic` is a concrete topic (no wildcards). */
export function assertTopic(topic: string): void {
  const problem = problemsOf(topic, false);
  if (problem) throw new ValidationError('topic', [{ field: 'topic', message: problem, value: topic }]);
}

/** Throws a ValidationError unless `pattern` is a topic or a valid wildcard pattern. */
export function assertTopicPattern(pattern: string): void {
  const problem = problemsOf(pattern, true);
  if (problem) throw new ValidationError('topic pattern', [{ field: 'pattern', message: problem, value: pattern }]);
}

export function isTopicPattern(text: string): boolean {
  return text.includes('*') || text.split('.').includes('>');
}

/** Compiles a (validated) pattern into a predicate over concrete topics. */
export function compileTopicPattern(pattern: string): (topic: string) => boolean {
  assertTopicPattern(pattern);
  if (!isTopicPattern(pattern)) return (topic) => topic === pattern;
  const patternTokens = pattern.split('.');
  const tail = patternTokens[patternTokens.length - 1] === '>';
  const fixed = tail ? patternTokens.slice(0, -1) : patternTokens;
  return (topic) => {
    const tokens = topic.split('.');
    if (tail ? tokens.length <= fixed.length : tokens.length !== fixed.length) return false;
    for (let i = 0; i < fixed.length; i++) {
      if (fixed[i] !== '*' && fixed[i] !== tokens[i]) return false;
    }
    return true;
  };
}

export function topicMatches(pattern: string, topic: string): boolean {
  return compileTopicPattern(pattern)(topic);
}
