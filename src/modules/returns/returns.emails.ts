import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventConsumer, StoredEvent } from '../../shared/events/index.js';
import { enqueueEmail } from '../../shared/outbox/outbox.js';
import { formatBRL } from '../../shared/money/index.js';
import { Order } from '../orders/index.js';
import { Return } from './returns.entity.js';
import { RETURN_TRANSITIONS } from './return-state.js';

/**
 * The buyer's e-mails about returns and exchanges (design.md: e-mails read from the domain
 * events): one per change of a return, in Portuguese, queued in the outbox in the consumer's
 * transaction, so each event is mailed exactly once. src/app wires it with the other consumers.
 */
export const RETURN_EVENT_TYPES: readonly string[] = [...new Set(RETURN_TRANSITIONS.map((t) => t.event))];

function text(event: StoredEvent, ret: Return, order: Order): { subject: string; body: string[] } | null {
  const code = ret.code;
  const data = event.data;
  const money = (key: string) => formatBRL(Number(data[key] ?? 0));
  switch (event.type) {
    case 'return.opened':
      return { subject: `Devolução ${code} aberta`, body: [`Recebemos o pedido de devolução ${code} do pedido ${order.code}.`, 'O vendedor vai analisá-lo e avisaremos você por e-mail.'] };
    case 'return.approved':
      return { subject: `Devolução ${code} aprovada`, body: [`A devolução ${code} do pedido ${order.code} foi aprovada.`, 'Envie os itens de volta; você receberá as instruções de postagem.'] };
    case 'return.rejected':
      return { subject: `Devolução ${code} recusada`, body: [`A devolução ${code} do pedido ${order.code} foi recusada.`, `Motivo: ${String(data.rejectionReason ?? ret.rejectionReason ?? '-')}`] };
    case 'return.tracking_updated':
      return {
        subject: `Devolução ${code}: rastreio da logística reversa`,
        body: [`Transportadora: ${String(data.carrier ?? '')}`, `Código de rastreio: ${String(data.trackingCode ?? '')}`, ...(data.trackingUrl ? [`Acompanhe em: ${String(data.trackingUrl)}`] : [])],
      };
    case 'return.received':
      return { subject: `Devolução ${code}: itens recebidos`, body: [`Recebemos os itens da devolução ${code} do pedido ${order.code}.`] };
    case 'return.refunded': {
      const freight = Number(data.freightRefunded ?? 0);
      return {
        subject: `Devolução ${code}: reembolso feito`,
        body: [`Estornamos ${money('refunded')} pela mesma forma de pagamento do pedido ${order.code}.`, ...(freight > 0 ? [`O frete também foi devolvido: ${formatBRL(freight)}.`] : [])],
      };
    }
    case 'return.exchanged': {
      const refunded = Number(data.refunded ?? 0);
      return {
        subject: `Devolução ${code}: troca confirmada`,
        body: [
          `A troca da devolução ${code} gerou o pedido ${String(data.replacementOrderCode ?? '')}, sem custo para você; avisaremos quando ele for enviado.`,
          ...(refunded > 0 ? [`A diferença de ${formatBRL(refunded)} foi estornada pela mesma forma de pagamento.`] : []),
        ],
      };
    }
    default:
      return null;
  }
}

export const returnEmailConsumer: EventConsumer = {
  name: 'returns.buyer-emails',
  types: RETURN_EVENT_TYPES,
  async handle(em: EntityManager, event: StoredEvent): Promise<void> {
    const ret = await em.findOne(Return, event.aggregateId);
    if (!ret) return;
    const order = await em.findOneOrFail(Order, ret.order.id);
    const mail = text(event, ret, order);
    if (!mail) return;
    enqueueEmail(em, event.type, { to: order.buyerEmail, subject: mail.subject, text: [`Olá, ${order.buyerName}.`, '', ...mail.body].join('\n') });
  },
};
