import { Field, GraphQLISODateTime, ID, InputType, registerEnumType } from 'type-graphql';
import { ObjectType } from './object-type';
import { CiSummaryType } from './impact.type';

export enum TicketKind { INCIDENT = 'INCIDENT', PROBLEM = 'PROBLEM', CHANGE = 'CHANGE', REQUEST = 'REQUEST' }
export enum TicketStatus { NEW = 'NEW', IN_PROGRESS = 'IN_PROGRESS', ON_HOLD = 'ON_HOLD', RESOLVED = 'RESOLVED', CLOSED = 'CLOSED', CANCELLED = 'CANCELLED' }
registerEnumType(TicketKind, { name: 'TicketKind' });
registerEnumType(TicketStatus, { name: 'TicketStatus', description: 'NEW, IN_PROGRESS and ON_HOLD are open; RESOLVED, CLOSED and CANCELLED are not.' });

@ObjectType('Ticket', { description: 'An incident, problem, change or request of an ITSM system, linked to the CIs it concerns.' })
export class TicketType {
  @Field({ description: 'The ITSM system, e.g. servicenow-prod or jira-itsm.' }) system!: string;
  @Field({ description: 'The ticket number in that system, e.g. INC0012345.' }) key!: string;
  @Field(() => TicketKind) kind!: string;
  @Field(() => TicketStatus) status!: string;
  @Field({ description: 'True for NEW, IN_PROGRESS and ON_HOLD.' }) open!: boolean;
  @Field(() => String, { nullable: true }) url!: string | null;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'A change\'s planned window.' }) plannedStart!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) plannedEnd!: string | null;
  @Field(() => GraphQLISODateTime) createdAt!: string;
  @Field(() => GraphQLISODateTime) updatedAt!: string;
  @Field(() => String, { nullable: true, description: 'The caller that linked it (token:<name>, jwt:<subject>).' }) createdBy!: string | null;
  @Field(() => String, { nullable: true }) updatedBy!: string | null;
  @Field(() => [ID], { description: 'The CIs it concerns.' }) ciIds!: string[];
}

@ObjectType('TicketOnCi', { description: 'A ticket and the CI of an answer it concerns.' })
export class TicketOnCiType {
  @Field(() => TicketType) ticket!: TicketType;
  @Field(() => CiSummaryType) ci!: CiSummaryType;
}

@ObjectType('ChangeConflicts', { description: 'What a planned change collides with.' })
export class ChangeConflictsType {
  @Field(() => [TicketOnCiType], { description: 'Other open changes on the changed or affected CIs whose windows overlap this one (a change without a window overlaps every window).' })
  changes!: TicketOnCiType[];
  @Field(() => [TicketOnCiType], { description: 'Open incidents on the affected services.' }) incidents!: TicketOnCiType[];
}

@ObjectType('UnlinkedTicket')
export class UnlinkedTicketType {
  @Field(() => TicketType, { description: 'The ticket, with the CIs it still concerns.' }) ticket!: TicketType;
  @Field({ description: 'True when it concerned no CI any more and was removed.' }) deleted!: boolean;
}

@InputType('LinkTicketInput')
export class LinkTicketInput {
  @Field() system!: string;
  @Field() key!: string;
  @Field(() => TicketKind, { nullable: true, description: 'Required when the ticket is new.' }) kind?: string;
  @Field(() => TicketStatus, { nullable: true, description: 'Required when the ticket is new.' }) status?: string;
  @Field(() => String, { nullable: true }) url?: string | null;
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) plannedStart?: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) plannedEnd?: Date | null;
}

@InputType('TicketRef')
export class TicketRefInput {
  @Field() system!: string;
  @Field() key!: string;
}
