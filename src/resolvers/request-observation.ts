/** What one GraphQL request turned out to be, for its log line and the metrics. */
export interface RequestObservation {
  operationName: string | null;
  /** query, mutation or subscription; null until the operation is resolved (parse and validation failures). */
  operationType: string | null;
  /** The first root field: names anonymous operations in metrics. */
  rootField: string | null;
  /** Who the request ran as (token:<name>, jwt:<subject>, anonymous); null when authentication failed. */
  principal: string | null;
  /** extensions.code of each error returned, in order. */
  errorCodes: string[];
}

export const newRequestObservation = (): RequestObservation => ({ operationName: null, operationType: null, rootField: null, principal: null, errorCodes: [] });
