import { describe, expect, it } from 'vitest';
import { normaliseBoolean, normaliseDate, normaliseDecimal, normaliseEmail, normaliseInteger, normaliseList, normaliseTimestamp, normaliseUrl } from './_scalars.js';

describe('normaliseBoolean', () => {
  it.each([
    ['TRUE', 'true'], ['FALSE', 'false'], ['true', 'true'], ['false', 'false'], [' True ', 'true'],
    ['yes', null], ['1', null], ['0', null], ['t', null],
  ])('%j → %j', (input, expected) => expect(normaliseBoolean(input)).toBe(expected));
});

describe('normaliseDate', () => {
  it.each([
    ['2023-09-06', '2023-09-06'], [' 2024-02-29 ', '2024-02-29'], ['0001-01-01', '0001-01-01'],
    ['2023-02-29', null], ['2023-13-01', null], ['2023-9-6', null], ['06/09/2023', null], ['2023-09-06T00:00:00Z', null],
  ])('%j → %j', (input, expected) => expect(normaliseDate(input)).toBe(expected));
});

describe('normaliseTimestamp', () => {
  it.each([
    ['2021-07-26T18:00:00Z', '2021-07-26T18:00:00Z'],
    ['2021-07-26T20:00:00+02:00', '2021-07-26T18:00:00Z'],
    ['2021-07-26T20:00:00+0200', '2021-07-26T18:00:00Z'],
    ['2021-07-26T13:30:00-04:30', '2021-07-26T18:00:00Z'],
    ['2021-07-27T01:00:00+09', '2021-07-26T16:00:00Z'],
    ['2021-07-26 18:00:00Z', '2021-07-26T18:00:00Z'],
    ['2021-07-26T18:00Z', '2021-07-26T18:00:00Z'],
    ['2021-07-26T18:00:00.000Z', '2021-07-26T18:00:00Z'],
    ['2021-07-26T18:00:00.5Z', '2021-07-26T18:00:00.500Z'],
    ['2021-07-26T18:00:00.123456789Z', '2021-07-26T18:00:00.123456789Z'],
    ['2021-12-31T23:30:00-01:00', '2022-01-01T00:30:00Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00Z'],
    ['2022-01-11', '2022-01-11'],
    ['2021-07-26T18:00:00', null],
    ['2021-07-26T25:00:00Z', null],
    ['2021-02-30T10:00:00Z', null],
    ['yesterday', null],
    ['1627322400', null],
    ['  2021-07-26T18:00:00Z ', '2021-07-26T18:00:00Z'],
    ['0000-02-29T00:00:00Z', '0000-02-29T00:00:00Z'],
    ['2023-02-29T00:00:00Z', null],
    ['2024-02-29T23:59:59Z', '2024-02-29T23:59:59Z'],
    ['2021-07-26T24:00:00Z', null],
    ['2021-07-26T18:60:00Z', null],
    ['2021-07-26T18:00:60Z', null],
    ['2021-13-01T00:00:00Z', null],
    ['2021-07-26t18:00:00z', '2021-07-26T18:00:00Z'],
  ])('%j → %j', (input, expected) => expect(normaliseTimestamp(input)).toBe(expected));
});

describe('normaliseDecimal', () => {
  it.each([
    ['35.24', '35.24'], ['100.00', '100'], ['0.00', '0'], ['007.50', '7.5'], ['-0.00', '0'], ['-3.10', '-3.1'],
    ['+2', '2'], ['.5', '0.5'], ['5.', '5'], ['12345678901234567890.123456789', '12345678901234567890.123456789'],
    ['1e3', null], ['3,5', null], ['', null], ['.', null], ['abc', null], ['NaN', null],
  ])('%j → %j', (input, expected) => expect(normaliseDecimal(input)).toBe(expected));
});

describe('normaliseInteger', () => {
  it.each([
    ['1', '1'], ['0', '0'], ['007', '7'], ['-0', '0'], ['+12', '12'], ['-12', '-12'], [' 3 ', '3'],
    ['123456789012345678901234', '123456789012345678901234'],
    ['1.0', null], ['1e2', null], ['one', null],
  ])('%j → %j', (input, expected) => expect(normaliseInteger(input)).toBe(expected));
});

describe('normaliseList', () => {
  it.each([
    ['manager, primaryowner, riskmanager', 'manager, primaryowner, riskmanager'],
    ['manager,primaryowner ,  riskmanager', 'manager, primaryowner, riskmanager'],
    ['riskmanager, manager', 'riskmanager, manager'],
    ['solo', 'solo'],
    ['  ', ''],
  ])('%j → %j', (input, expected) => expect(normaliseList(input)).toBe(expected));
});

describe('normaliseUrl', () => {
  it.each([
    ['https://logo_link/', 'https://logo_link/'], [' https://example.com/a b', null], ['  https://example.com/x.svg ', 'https://example.com/x.svg'],
    ['example.com/logo.png', null], ['not a url', null], ['mailto:a@b.c', 'mailto:a@b.c'],
  ])('%j → %j', (input, expected) => expect(normaliseUrl(input)).toBe(expected));
});

describe('normaliseEmail', () => {
  it.each([
    ['jason.bond@balkan.id', 'jason.bond@balkan.id'], [' Jason.Bond@Balkan.ID ', 'Jason.Bond@balkan.id'],
    ['alec+ops@sub.Example.COM', 'alec+ops@sub.example.com'],
    ['no-at-sign', null], ['a@b', null], ['two@@example.com', null], ['a b@example.com', null],
  ])('%j → %j', (input, expected) => expect(normaliseEmail(input)).toBe(expected));
});
