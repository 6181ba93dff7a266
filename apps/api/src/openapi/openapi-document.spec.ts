import { toOpenApi31 } from './openapi-document';

describe('toOpenApi31 (3.0 nullable → 3.1 null types)', () => {
  it('turns a nullable type into a type array, enums included', () => {
    // Given schemas as @nestjs/swagger emits them
    const schema = {
      properties: {
        note: { type: 'string', nullable: true },
        reason: { type: 'string', enum: ['admin', 'automatic'], nullable: true },
        count: { type: 'integer', nullable: false },
      },
    };
    // When
    toOpenApi31(schema);
    // Then
    expect(schema.properties).toEqual({
      note: { type: ['string', 'null'] },
      reason: { type: ['string', 'null'], enum: ['admin', 'automatic', null] },
      count: { type: 'integer' },
    });
  });

  it('puts a nullable $ref or allOf into an anyOf with null, since a type beside it refuses null', () => {
    const schema = {
      a: { $ref: '#/components/schemas/X', nullable: true, description: 'kept' },
      b: { type: 'object', allOf: [{ $ref: '#/components/schemas/Y' }], nullable: true },
    };
    toOpenApi31(schema);
    expect(schema).toEqual({
      a: { anyOf: [{ $ref: '#/components/schemas/X' }, { type: 'null' }], description: 'kept' },
      b: {
        anyOf: [{ allOf: [{ $ref: '#/components/schemas/Y' }], type: 'object' }, { type: 'null' }],
      },
    });
  });
});
