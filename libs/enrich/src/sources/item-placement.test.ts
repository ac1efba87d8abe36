import type { DetectedObjectRecord } from '@media-ai/contracts';
import { describe, expect, it } from 'vitest';
import { placementAttributes } from './item-placement.js';

const object = (label: string, x: number, y: number, width: number, height: number): DetectedObjectRecord => ({
  label,
  confidence: 0.8,
  box: { x, y, width, height },
  model: 'yolox-nano',
});

describe('placementAttributes', () => {
  it('puts a phone inside a person box with the person, and a cup whose foot is on a table on the surface', () => {
    const person = object('person', 0.1, 0.0, 0.5, 1.0);
    const phone = object('cell phone', 0.3, 0.4, 0.1, 0.15);
    const table = object('dining table', 0.0, 0.6, 1.0, 0.4);
    const cup = object('cup', 0.7, 0.55, 0.1, 0.1);
    const all = [person, phone, table, cup];
    expect(placementAttributes(phone, all)).toEqual({ frame_share: '0.015', placement: 'with_person' });
    expect(placementAttributes(cup, all)).toEqual({ frame_share: '0.01', placement: 'on_surface' });
    // The person and the table themselves have no placement.
    expect(placementAttributes(person, all)).toEqual({ frame_share: '0.5' });
    expect(placementAttributes(table, all)).toEqual({ frame_share: '0.4' });
  });

  it('says nothing the boxes do not support, and lists measured colours', () => {
    const bag = { ...object('backpack', 0.2, 0.2, 0.3, 0.3), colors: [{ name: 'red', hex: '#c02020', share: 0.8 }] };
    const farPerson = object('person', 0.7, 0.0, 0.3, 0.5);
    expect(placementAttributes(bag, [bag, farPerson])).toEqual({ frame_share: '0.09', colors: 'red' });
  });
});
