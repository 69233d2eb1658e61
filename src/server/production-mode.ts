/*
 * Imported first by the entry points. graphql-js and Express choose their production code paths from NODE_ENV
 * when they load; left unset, graphql-js checks every `instanceof` it makes for a second copy of itself, which
 * cost about a millisecond per page of 100 CIs. Development mode stays what NODE_ENV=development asks for.
 */
if (!process.env.NODE_ENV) process.env.NODE_ENV = 'production';
