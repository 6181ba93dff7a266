/** The application's mongoose Connection. */
export const DATABASE_CONNECTION = Symbol('DATABASE_CONNECTION');
