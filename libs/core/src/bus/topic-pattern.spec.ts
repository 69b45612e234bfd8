import { ValidationError } from '../errors';
import {
  assertTopic,
  assertTopicPattern,
  compileTopicPattern,
  topicMatches,
  type MatchingTopic,
} from './topic-pattern';

describe('topic patterns', () => {
  it.each([
    ['order.*', 'order.filled', true],
    ['order.*', 'order', false],
    ['order.*', 'order.filled.partial', false],
    ['order.>', 'order.filled.partial', true],
    ['order.>', 'order', false],
    ['*', 'bar', true],
    ['*', 'order.filled', false],
    ['>', 'order.filled', true],
    ['*.filled', 'order.filled', true],
    ['bar', 'bar', true],
    ['bar', 'bars', false],
  ])('%s matches %s: %s', (pattern, topic, expected) => {
    expect(topicMatches(pattern, topic)).toBe(expected);
  });

  it('rejects wildcards in a published topic and misplaced ones in a pattern, naming the token', () => {
    expect(() => assertTopic('order.*')).toThrow(ValidationError);
    expect(() => assertTopic('order..filled')).toThrow(/token "" must be/);
    expect(() => assertTopicPattern('>.order')).toThrow(/'>' is only allowed as the last token/);
    expect(() => compileTopicPattern('order filled')).toThrow(/token "order filled"/);
    expect(() => assertTopicPattern('order.*')).not.toThrow();
  });

  it('computes the matching topics at the type level', () => {
    type Map = { bar: 1; 'order.filled': 2; 'order.cancelled': 3; 'risk.alert': 4 };
    const orders: Array<MatchingTopic<Map, 'order.*'>> = ['order.filled', 'order.cancelled'];
    const singles: Array<MatchingTopic<Map, '*'>> = ['bar'];
    // @ts-expect-error risk.alert is not matched by order.*
    const wrong: MatchingTopic<Map, 'order.*'> = 'risk.alert';
    expect([orders, singles, wrong]).toHaveLength(3);
  });
});
