import { ShipmentSchema } from './Shipment.js';

export const entities = [ShipmentSchema];
