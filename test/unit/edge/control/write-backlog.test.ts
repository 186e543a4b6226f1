import { describe, expect, it } from 'vitest';
import { WriteBacklog } from '../../../../edge/control/write-backlog';

describe('WriteBacklog', () => {
  it('should keep one write per key where the first one stood, and run them oldest first', () => {
    // Arrange
    const done: string[] = [];
    const backlog = new WriteBacklog(10);
    backlog.add('session 1 start', () => done.push('start 1'));
    backlog.add('session 1 energy', () => done.push('energy 1: 100 Wh'));
    backlog.add('session 1 stop', () => done.push('stop 1'));

    // Act
    backlog.add('session 1 energy', () => done.push('energy 1: 200 Wh'));
    const result = backlog.drain();

    // Assert
    expect(result).toEqual({ landed: 3 });
    expect(done).toEqual(['start 1', 'energy 1: 200 Wh', 'stop 1']);
    expect(backlog.size).toBe(0);
  });

  it('should leave a waiting write in place when the new one of its key says the first wins', () => {
    // Arrange
    const done: string[] = [];
    const backlog = new WriteBacklog(10);
    backlog.add('session 1 stop', () => done.push('stop 1 at 300'), 'first');

    // Act
    backlog.add('session 1 stop', () => done.push('stop 1 at 900'), 'first');
    backlog.drain();

    // Assert
    expect(done).toEqual(['stop 1 at 300']);
  });

  it('should stop at the first write that fails and keep it and every later one waiting', () => {
    // Arrange
    let diskFull = true;
    const done: string[] = [];
    const backlog = new WriteBacklog(10);
    backlog.add('a', () => done.push('a'));
    backlog.add('b', () => {
      if (diskFull) throw new Error('database or disk is full');
      done.push('b');
    });
    backlog.add('c', () => done.push('c'));

    // Act
    const first = backlog.drain();
    diskFull = false;
    const second = backlog.drain();

    // Assert
    expect(first).toEqual({ landed: 1, error: new Error('database or disk is full') });
    expect(second).toEqual({ landed: 2 });
    expect(done).toEqual(['a', 'b', 'c']);
  });

  it('should refuse a new key once full but still replace a waiting one', () => {
    const backlog = new WriteBacklog(2);
    expect([
      backlog.add('a', () => {}),
      backlog.add('b', () => {}),
      backlog.add('c', () => {}),
      backlog.add('a', () => {}),
    ]).toEqual([true, true, false, true]);
    expect(backlog.size).toBe(2);
  });
});
