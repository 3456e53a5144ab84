// Writes message pacts with pact-js, as a consumer team on a Node stack would, for
// pytest-thrillpots to read, check (`thrillpots check-pacts`) and verify (`verify_pacts`).
// Run: npm ci && npm run pacts (see README.md). The pacts land in ./pacts, replacing those there.
//
//   pactjs_lobby-thrillpots.json      V4: a pact the reference producer honours, one interaction
//                                     per kind of matcher a message body can carry
//   pactjs_reporting-thrillpots.json  V4: a pact asking for what ThrillPots never promised
//                                     (an integer player_id, a regex on a number, a date string
//                                     for an epoch timestamp, a field the spec lacks, ...)
//   pactjs_legacy-thrillpots.json     V3 (MessageConsumerPact): one message with the event_type
//                                     metadata, one without it

'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { PactV4, MessageConsumerPact, MatchersV3: M, SpecificationVersion } = require('@pact-foundation/pact');

const OUT = path.join(__dirname, 'pacts');
const PROVIDER = 'thrillpots';

// Matchers pact-js has no function for are written in the matcher JSON the Pact core reads.
const semver = (value) => ({ 'pact:matcher:type': 'semver', value });
const notEmpty = (value) => ({ 'pact:matcher:type': 'notEmpty', value });
const eachKey = (value, rules) => ({ 'pact:matcher:type': 'eachKey', value, rules });

async function message(pact, { given, description, eventType, content }) {
  let interaction = pact.addAsynchronousInteraction();
  for (const [name, params] of given) {
    interaction = params ? interaction.given(name, params) : interaction.given(name);
  }
  await interaction
    .expectsToReceive(description, (builder) => {
      if (eventType) builder.withMetadata({ event_type: eventType });
      builder.withJSONContent(content);
    })
    .executeTest(async (received) => {
      if (!received.contents || !received.contents.content) throw new Error(`no content for ${description}`);
    });
}

async function lobby() {
  const pact = new PactV4({ consumer: 'pactjs_lobby', provider: PROVIDER, dir: OUT, logLevel: 'error',
    spec: SpecificationVersion.SPECIFICATION_VERSION_V4 });
  await message(pact, {
    given: [['a running jackpot with pots', { pot_count: 2 }]],
    description: 'the pots of a running jackpot',
    eventType: 'JackpotUpdateEvent',
    content: {
      id: notEmpty('jp-mega'),
      jackpot_type: M.regex(/^(Jackpot|Raffle)$/, 'Jackpot'),
      currency: M.regex('^[A-Z]{3}$', 'EUR'),
      pots: M.atLeastLike({ id: M.string('pot-1'), is_progressive: M.boolean(true), current_value: M.decimal(1042.5) }, 1, 2),
      allowed_brands: M.arrayContaining('brand-7'),
      allowed_sources: M.constrainedArrayLike(M.string('casino'), 1, 4),
      status: M.includes('run'),
      timestamp_start: M.integer(1772308800000),
      timestamp_end: M.number(1772913600000),
      last_updated: M.integer(1772395200000),
    },
  });
  await message(pact, {
    given: [['a progressive jackpot win', { brand_id: 'brand-7' }]],
    description: 'a win with its community winners',
    eventType: 'WinEvent',
    content: {
      brand_id: M.equal('brand-7'),
      player_id: M.like('player-1'),
      jackpot_currency: M.regex('^[A-Z]{3}$', 'EUR'),
      currency_multipliers: {
        base_currency: M.string('EUR'),
        multipliers: M.eachValueMatches({ EUR: 1.0, GBP: 0.86 }, M.number(1.0)),
      },
      win_withheld: M.boolean(false),
      community_winners: M.eachLike({ player_id: M.string('player-1'), currency: M.string('EUR'), win_amount: M.number(25) }, 1),
      games_in_jackpot: M.atMostLike(M.string('starburst'), 5),
      seed: M.integer(987654),
      metadata: M.like({ campaign: 'spring-drop' }),
    },
  });
  await message(pact, {
    given: [['a progressive jackpot win', { brand_id: 'brand-1' }], ['metadata is null', null]],
    description: 'a win without metadata',
    eventType: 'WinEvent',
    content: { player_id: M.string('player-1'), metadata: M.nullValue() },
  });
  await message(pact, {
    given: [['a raffle was drawn', { winners: 1 }]],
    description: 'a raffle draw',
    eventType: 'RaffleWinEvent',
    content: {
      instance_id: M.string('raffle-9'),
      currency_multipliers: { multipliers: eachKey({ EUR: 1.0, GBP: 0.86 }, [M.regex('^[A-Z]{3}$', 'EUR')]) },
      winners: M.eachLike({ player_id: M.string('player-1'), win_amount: M.decimal(25.5) }),
    },
  });
  await message(pact, {
    given: [['a player opted in', { contributions: 2 }]],
    description: 'a player opts in',
    eventType: 'OptInEvent',
    content: {
      player_id: M.string('player-5'),
      contribution_count: M.integer(2),
      contribution_value: M.number(1.0),
      preferred_contribution_value: M.decimal(0.5),
      opted_in: M.boolean(true),
      ext_player_id: M.regex(/^ext-\d+$/, 'ext-5'),
    },
  });
  await message(pact, {
    given: [['community payouts failed', { failed: 1 }]],
    description: 'a failed community payout',
    eventType: 'CommunityPayoutErrorEvent',
    content: {
      tx_credit_id: notEmpty('tx-credit-19'),
      gameround_id: M.string('round-7781'),
      failed_payouts: M.eachLike({ player_id: M.string('player-1'), win_amount: M.number(25) }, 1),
    },
  });
}

async function reporting() {
  const pact = new PactV4({ consumer: 'pactjs_reporting', provider: PROVIDER, dir: OUT, logLevel: 'error',
    spec: SpecificationVersion.SPECIFICATION_VERSION_V4 });
  await message(pact, {
    given: [['a player opted in', { contributions: 2 }]],
    description: 'an opt-in for the daily report',
    eventType: 'OptInEvent',
    content: {
      player_id: M.integer(42),
      contribution_count: M.regex(/^\d+$/, '12'),
      preferred_contribution_value: M.like('0.50'),
      last_updated: M.timestamp("yyyy-MM-dd'T'HH:mm:ss", '2026-03-01T20:00:00'),
      opted_in: M.equal('yes'),
      player_brand_id: M.nullValue(),
      loyalty_tier: M.string('gold'),
      instance_id: semver('1.4.0'),
    },
  });
  await message(pact, {
    given: [['a running jackpot with pots', { pot_count: 2 }]],
    description: 'a jackpot update for the daily report',
    eventType: 'JackpotUpdateEvent',
    content: {
      jackpot_type: M.equal('Lottery'),
      pots: M.eachLike({ id: M.string('pot-1'), current_value: M.string('1042.50') }, 1),
      timestamp_end: M.integer(1772913600000),
      status: M.date('yyyy-MM-dd', '2026-03-01'),
    },
  });
}

async function legacy() {
  // MessageConsumerPact takes the specification's own number (its enum's values are offset).
  const pact = new MessageConsumerPact({ consumer: 'pactjs_legacy', provider: PROVIDER, dir: OUT, logLevel: 'error', spec: 3 });
  const handler = async (m) => {
    if (!m.contents) throw new Error('no contents');
  };
  await pact
    .given({ name: 'a player opted in', params: { contributions: 2 } })
    .expectsToReceive('an opt-in, in a V3 pact')
    .withContent({ player_id: M.string('player-5'), opted_in: M.boolean(true), contribution_count: M.integer(2) })
    .withMetadata({ event_type: 'OptInEvent' })
    .verify(handler);
  await pact
    .given({ name: 'community payouts failed', params: { failed: 1 } })
    .expectsToReceive('a failed community payout, without an event type')
    .withContent({
      gameround_id: M.string('round-7781'),
      tx_credit_id: M.string('tx-credit-19'),
      failed_payouts: M.eachLike({ player_id: M.string('player-1') }),
    })
    .verify(handler);
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  for (const name of fs.readdirSync(OUT)) {
    if (name.endsWith('.json')) fs.unlinkSync(path.join(OUT, name));
  }
  await lobby();
  await reporting();
  await legacy();
  for (const name of fs.readdirSync(OUT).sort()) console.log(`wrote ${path.join('pacts', name)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
