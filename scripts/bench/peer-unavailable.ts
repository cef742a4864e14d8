/** A peer that could not run here: the table says so instead of showing numbers. */
export class PeerUnavailable extends Error {}
