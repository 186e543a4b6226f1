import { describe, expect, it } from 'vitest';
import { decodeWords } from '../../../../edge/meter/register-decoder';
import type { RegisterType, WordOrder } from '../../../../edge/meter/register-map';

describe('decodeWords', () => {
  it.each<[RegisterType, WordOrder, number[], number]>([
    ['int16', 'high-first', [0xfffe], -2],
    ['uint16', 'high-first', [0xfffe], 65534],
    ['int32', 'high-first', [0xfffd, 0xb610], -150000],
    ['int32', 'low-first', [0xc568, 0xffff], -15000],
    ['int32', 'low-first', [0x14cc, 0x0001], 70860],
    ['uint32', 'high-first', [0xffff, 0xffff], 4294967295],
    ['uint32', 'low-first', [0x0901, 0x0000], 2305],
    ['float32', 'high-first', [0x4366, 0x8000], 230.5],
    ['float32', 'low-first', [0x8000, 0x4366], 230.5],
    ['int64', 'high-first', [0xffff, 0xffff, 0xffff, 0xfff6], -10],
    ['uint64', 'high-first', [0x0000, 0x0000, 0x0012, 0xd676], 1234550],
    ['uint64', 'low-first', [0xd676, 0x0012, 0x0000, 0x0000], 1234550],
    ['float64', 'high-first', [0x4167, 0x8c13, 0x8000, 0x0000], 12345500],
  ])('should decode %s %s %j as %d', (type, order, words, expected) => {
    expect(decodeWords(words, type, order)).toBe(expected);
  });

  it('should decode the float32 NaN pattern as NaN', () => {
    expect(decodeWords([0x7fc0, 0x0000], 'float32', 'high-first')).toBeNaN();
  });

  it('should refuse a word count that does not fit the type', () => {
    expect(() => decodeWords([1], 'float32', 'high-first')).toThrow(RangeError);
  });
});
