// The read side of the wire contract: the event filter, its search syntax and
// its HTTP query-string form.
export {
  EVENT_FILTER_FIELDS,
  type EventFilter,
  type EventFilterField,
  type EventFilterFields,
  eventFilterProblems,
  filterTimeRange,
  filterValueProblem,
  MAX_FILTER_VALUE_LENGTH,
  MAX_SEARCH_WORDS,
  parseFilterDate,
  searchWords,
} from "./event-filter.js";
export { EVENT_FILTER_PARAMS, parseEventFilterParams } from "./event-filter-params.js";
export { eventMatchesFilter } from "./event-matches-filter.js";
export {
  conditionProblems,
  evaluateCondition,
  type FilterCondition,
  type FilterTerm,
  forEachTerm,
  isFilterTerm,
  MAX_CONDITION_DEPTH,
  MAX_CONDITION_TERMS,
} from "./filter-condition.js";
export { formatSearchQuery, MAX_SEARCH_QUERY_LENGTH, parseSearchQuery } from "./search-syntax.js";
export { textWords } from "./text-words.js";
