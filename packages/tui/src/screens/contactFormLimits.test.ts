import { Address, ContactFields, Email, Phone, Username, accounts, maxLengthOf } from '@annuaire/protocol';
import { describe, expect, it } from 'vitest';
import { contactValues, fieldNames, maxLength } from './contactFormModel';

// The form's limits come from the protocol's schemas: a field must take exactly what the server
// takes, no more (the server would refuse it) and no less (the user could not type a valid value).
describe('the contact form takes what the server takes', () => {
  const fill = (name: string, length: number) => (name === 'email' ? `${'a'.repeat(length - '@example.fr'.length)}@example.fr` : name === 'telephone' ? '1'.repeat(length) : 'a'.repeat(length));
  const schemaOf = (name: string) =>
    name === 'email' ? Email : name === 'telephone' ? Phone : name in Address.shape ? Address.shape[name as keyof typeof Address.shape] : ContactFields.shape[name as keyof typeof ContactFields.shape];

  for (const name of fieldNames(contactValues(undefined)).filter((n) => n !== 'anniversaire')) {
    it(`${name}: the longest value the form allows is valid, one more character is not`, () => {
      const max = maxLength(name);
      expect(schemaOf(name).safeParse(fill(name, max)).success).toBe(true);
      expect(schemaOf(name).safeParse(fill(name, max + 1)).success).toBe(false);
    });
  }

  it('a birthday field holds one AAAA-MM-JJ date', () => {
    expect(maxLength('anniversaire')).toBe('1985-04-12'.length);
  });
});

describe('maxLengthOf', () => {
  it('reads the limit through optional and nullable wrappers', () => {
    expect(maxLengthOf(Username)).toBe(32);
    expect(maxLengthOf(ContactFields.shape.entreprise)).toBe(200);
    expect(maxLengthOf(accounts.login.params.shape.username)).toBe(64);
    expect(Username.safeParse('a'.repeat(33)).success).toBe(false);
  });
});
