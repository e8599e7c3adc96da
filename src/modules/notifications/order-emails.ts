import type { EntityManager } from '@mikro-orm/postgresql';
import type { Runtime } from '../../shared/runtime/index.js';
import type { EventConsumer, StoredEvent } from '../../shared/events/index.js';
import { enqueueEmail } from '../../shared/outbox/outbox.js';
import { formatBRL } from '../../shared/money/index.js';
import { CancellationReason, Order, OrderLine, orderLinkUrl } from '../orders/index.js';
import { OrderShipment } from '../fulfilment/index.js';

/** The order events a buyer hears about after checkout (the checkout's own e-mail says "received"). */
export const ORDER_EMAIL_EVENTS = ['order.approved', 'order.invoiced', 'order.shipped', 'order.delivered', 'order.cancelled'] as const;

const REASON_TEXT: Record<CancellationReason, string> = {
  [CancellationReason.SHOPPER_REQUEST]: 'a seu pedido',
  [CancellationReason.SELLER_REQUEST]: 'pelo vendedor',
  [CancellationReason.OPERATOR_REQUEST]: 'pela loja',
  [CancellationReason.FRAUD_REJECTED]: 'a análise de segurança do pagamento não o aprovou',
  [CancellationReason.PAYMENT_EXPIRED]: 'o pagamento não foi confirmado no prazo',
};

/**
 * One e-mail to the buyer per order event, in Portuguese, with the order code and the signed
 * link to follow the order. Runs as an event consumer: the e-mail is queued in the same
 * transaction that moves the consumer's cursor, so each event gives exactly one e-mail.
 */
export function orderEmails(runtime: Runtime): EventConsumer {
  return {
    name: 'order-emails',
    types: ORDER_EMAIL_EVENTS,
    handle: async (em, event) => {
      const order = await em.findOne(Order, { id: event.aggregateId });
      if (!order) return;
      const body = await compose(em, order, event);
      if (!body) return;
      enqueueEmail(em, event.type, {
        to: order.buyerEmail,
        subject: body.subject,
        text: [`Olá, ${order.buyerName}.`, '', ...body.lines, '', `Acompanhe o pedido: ${orderLinkUrl(runtime, order.id)}`].join('\n'),
      });
    },
  };
}

async function compose(em: EntityManager, order: Order, event: StoredEvent): Promise<{ subject: string; lines: string[] } | null> {
  switch (event.type) {
    case 'order.approved':
      return { subject: `Pedido ${order.code} aprovado`, lines: [`O pagamento do pedido ${order.code} foi aprovado. O vendedor já está preparando o envio.`] };
    case 'order.invoiced':
      return { subject: `Pedido ${order.code} faturado`, lines: [`A nota fiscal do pedido ${order.code} foi emitida. Em breve ele será enviado.`] };
    case 'order.shipped': {
      const shipment = await em.findOne(OrderShipment, { order: order.id });
      return {
        subject: `Pedido ${order.code} enviado`,
        lines: [
          `O pedido ${order.code} foi enviado${shipment ? ` por ${shipment.carrier}` : ''}.`,
          ...(shipment ? [`Código de rastreio: ${shipment.trackingCode}`, ...(shipment.trackingUrl ? [`Rastreie a entrega: ${shipment.trackingUrl}`] : [])] : []),
        ],
      };
    }
    case 'order.delivered':
      return { subject: `Pedido ${order.code} entregue`, lines: [`O pedido ${order.code} foi entregue. Esperamos que goste!`] };
    case 'order.cancelled': {
      const lines = await em.find(OrderLine, { order: order.id }, { orderBy: { position: 'asc' } });
      const reason = order.cancellationReason ? REASON_TEXT[order.cancellationReason] : 'pela loja';
      const refunded = Number(event.data.refunded ?? 0);
      return {
        subject: `Pedido ${order.code} cancelado`,
        lines: [
          `O pedido ${order.code} foi cancelado (${reason}).`,
          refunded > 0 ? `Estornamos ${formatBRL(refunded)} pela mesma forma de pagamento.` : 'Nenhum valor foi cobrado por este pedido.',
          '',
          `Itens: ${lines.map((l) => `${l.quantity} × ${l.productName}`).join('; ')}`,
        ],
      };
    }
    default:
      return null;
  }
}
