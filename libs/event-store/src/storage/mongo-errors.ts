// The store's own modules (and its users, through its index) keep importing the check from here;
// it is defined once, in @app/platform, next to the database connection.
export { isDuplicateKeyError } from '@app/platform';
