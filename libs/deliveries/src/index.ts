export * from './storage/delivery.documents';
export * from './domain/delivery-id';
