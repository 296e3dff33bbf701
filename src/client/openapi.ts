/**
 * The Gavel API's types, generated from its OpenAPI document by openapi-typescript.
 * Do not edit: run `npm run openapi:types` after changing a route's schema.
 */
export interface paths {
  '/api/v1/openapi.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * This OpenAPI document
     * @description The browsable page is GET /docs.
     */
    get: operations['getApiDocument'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Sign up
     * @description Then log in with POST /api/v1/sessions. Limited per client address (429 RATE_LIMITED).
     */
    post: operations['signUp'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A user’s public profile
     * @description Bidder and seller names, with a tag that tells two people of the same display name apart.
     */
    get: operations['getUser'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sessions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Log in
     * @description Answers a bearer token, also set as the HttpOnly cookie `gavel_session` for browsers. Failed attempts are limited per username and per client address (429 RATE_LIMITED), counted the same way for usernames that do not exist.
     */
    post: operations['logIn'];
    /**
     * Log out everywhere
     * @description Ends every session of this user: refused at once on this node, within 5 s on every other.
     */
    delete: operations['logOutEverywhere'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sessions/current': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Who is signed in
     * @description The user of this request’s session (null when nobody is signed in) and whether they may moderate. Never 401, so a page can ask whether anyone is signed in without logging a failed request.
     */
    get: operations['getCurrentSession'];
    put?: never;
    post?: never;
    /**
     * Log out
     * @description Ends the session of this request (bearer token or cookie, however the header is spelled) and clears the cookie.
     */
    delete: operations['logOut'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The user of this session */
    get: operations['getMe'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auctions/facets': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Facet counts for a filter sidebar
     * @description Counts of categories and attribute values, and the price range, of the auctions matching the filters. Takes the filters of GET /api/v1/auctions (sort, limit and cursor aside). Up to 20 values per list, most frequent first. Exact when total is at most 10000; above that the counts may be estimates from a sample (exact: false).
     */
    get: operations['getAuctionFacets'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auctions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List, search and filter auctions
     * @description Items carry a summary of the description. Filters combine with AND; a repeated exact filter means any of its values. 503 SERVICE_UNAVAILABLE with Retry-After when too many listings run at once.
     */
    get: operations['listAuctions'];
    put?: never;
    /**
     * Put an item up for auction
     * @description The caller is the seller. Give the item, or `itemExternalId` to sell one of your inventory items (404 ITEM_NOT_FOUND when you have no such item).
     */
    post: operations['createAuction'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auctions/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Read one auction
     * @description Strongly consistent: a read that starts after a bid was acknowledged shows it, or a later state.
     */
    get: operations['getAuction'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Edit a listing
     * @description Seller only, while scheduled or open: the item, its catalogue, and, until the first bid, the prices and the end; watchers get an `item_updated` event. An edit that changes nothing stores nothing (same version, no event). AUCTION_HAS_BIDS: prices or end after a bid; ITEM_MANAGED_BY_INVENTORY: item or catalogue of an auction that sells an inventory item; VALIDATION_FAILED: the same checks as creation.
     */
    patch: operations['editAuction'];
    trace?: never;
  };
  '/api/v1/auctions/{id}/buy-now': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Buy now
     * @description Closes the auction at once as sold at `buyNowPrice`, while buy-now is available.
     */
    post: operations['buyNow'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auctions/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Cancel an auction
     * @description Seller only, and only while no bid is accepted.
     */
    post: operations['cancelAuction'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auctions/{id}/payment': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Pay for a won auction
     * @description For a won (or accepted second-chance) auction, within the payment window. The payment is recorded; no payment processor is involved.
     */
    post: operations['payForAuction'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auctions/{id}/offer/accept': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Accept a second-chance offer
     * @description Accept the second-chance offer made to you: your payment window opens.
     */
    post: operations['acceptOffer'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auctions/{id}/offer/decline': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Decline a second-chance offer
     * @description Decline the second-chance offer made to you: it passes to the next bidder.
     */
    post: operations['declineOffer'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auctions/{id}/live-stream': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Set the live video
     * @description Seller only, until the auction ends; watchers get an `item_updated` event. The URL is an HLS playlist that browsers fetch themselves.
     */
    put: operations['setLiveStream'];
    post?: never;
    /**
     * Remove the live video
     * @description Seller only, until the auction ends; watchers get an `item_updated` event.
     */
    delete: operations['removeLiveStream'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/inventory/items/{externalId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Read one of your inventory items
     * @description Another seller’s item is never visible: it is 404 ITEM_NOT_FOUND.
     */
    get: operations['getInventoryItem'];
    /**
     * Create or replace one of your inventory items
     * @description 201 when new, 200 when changed or unchanged. Its auctions that have not ended show the change at once and get an `item_updated` event. Idempotent: a body that says what the item says already changes nothing (same revision, same updatedAt).
     */
    put: operations['putInventoryItem'];
    post?: never;
    /**
     * Delete one of your inventory items
     * @description Its scheduled and open auctions are cancelled (ended ones stay as they are). 409 ITEM_HAS_BIDS, and nothing changes, when one of its open auctions has an accepted bid (`auctionIds` names them).
     */
    delete: operations['deleteInventoryItem'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/inventory/items': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List your inventory items, oldest first */
    get: operations['listInventoryItems'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auctions/{id}/bids': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Bid history, newest first
     * @description Accepted bids by default, or every bid with `status=all`; never a bidder’s maximum.
     */
    get: operations['listBids'];
    put?: never;
    /**
     * Place a bid
     * @description Answered only once the bid is durable. A well-formed bid that is refused is stored too (the audit trail) and answered 409 with the stored `bid` and the current `auction`; when several reasons apply, the first of AUCTION_CANCELLED, AUCTION_NOT_STARTED, AUCTION_CLOSED, SELF_BIDDING, BID_TOO_LOW is given. The same `Idempotency-Key` from the same user on the same auction answers the first answer again (with `Idempotent-Replayed: true`) and stores nothing new.
     */
    post: operations['placeBid'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auctions/{id}/leaderboard': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The leaderboard: each bidder once, highest bid first
     * @description Each distinct bidder once, with their highest accepted bid, highest first.
     */
    get: operations['getLeaderboard'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/bids': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Auctions I bid on
     * @description Latest activity first, with my highest bid, my maximum and where I stand.
     */
    get: operations['listMyBids'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/bids/{auctionId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * My standing on one auction
     * @description My highest bid, my maximum and where I stand; 404 NOT_FOUND if I have no accepted bid there.
     */
    get: operations['getMyBid'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/auctions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Auctions I sell
     * @description Newest first, with the reserve, which only the seller sees.
     */
    get: operations['listMyAuctions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/watchlist/{auctionId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Watch an auction
     * @description Idempotent. The auction joins my watchlist, and I hear `ending_soon` on /api/v1/me/events 15 minutes before its end (at once if that has passed).
     */
    put: operations['watchAuction'];
    post?: never;
    /**
     * Stop watching an auction
     * @description Idempotent.
     */
    delete: operations['unwatchAuction'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/watchlist': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Auctions I watch
     * @description Soonest end first; items as in GET /api/v1/auctions, with `watcherCount`.
     */
    get: operations['listWatchlist'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * My webhooks
     * @description Oldest first, without their secrets.
     */
    get: operations['listWebhooks'];
    put?: never;
    /**
     * Register a webhook
     * @description For the events of the auctions I sell. The answer shows its signing secret, once: every delivery carries `Gavel-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. A URL whose host is, or resolves to, a loopback, private, link-local or reserved address is refused.
     */
    post: operations['createWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Delete one of my webhooks
     * @description Its pending deliveries are never sent.
     */
    delete: operations['deleteWebhook'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/{id}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A webhook’s deliveries
     * @description Newest first, with their status, attempts and last error; keyset-paginated.
     */
    get: operations['listWebhookDeliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/{id}/deliveries/{deliveryId}/retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send a failed delivery again
     * @description One more attempt, with the same event id; it may arrive out of the auction’s order.
     */
    post: operations['retryWebhookDelivery'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/email': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Set my e-mail address
     * @description A verification link (valid 24 hours) is mailed to it; the address becomes mine when the link is used. The answer is the same whether or not another account has the address.
     */
    put: operations['setMyEmail'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/email-verifications': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Confirm an e-mail address
     * @description With the token of its link: the address becomes the user’s verified address.
     */
    post: operations['verifyEmail'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/password-resets': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Ask for a password-reset link
     * @description A single-use link valid 1 hour goes to the account’s verified address. The same answer whether or not such an account exists; limited like log-ins, unknown accounts counted the same.
     */
    post: operations['requestPasswordReset'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/password-resets/{token}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Set a new password with a reset link
     * @description Every session of the account ends.
     */
    post: operations['resetPassword'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/notification-settings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Which notifications I get by e-mail
     * @description All on by default.
     */
    get: operations['getNotificationSettings'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Turn e-mail notifications on or off
     * @description By kind; kinds not given keep their setting.
     */
    patch: operations['updateNotificationSettings'];
    trace?: never;
  };
  '/api/v1/me/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * My notifications (Server-Sent Events)
     * @description A `text/event-stream` of what happens on auctions I bid on, sell or watch. Each event’s `id` is its notification’s sequence number: reconnect with `Last-Event-ID` (or `lastEventId`) to get every notification after it, then live ones.
     *
     *     | event | data | meaning |
     *     |---|---|---|
     *     | `ready` | `{}` | First, unless resumed; its id is the latest notification’s |
     *     | `outbid` | `Notification` | A `outbid` notification |
     *     | `leading` | `Notification` | A `leading` notification |
     *     | `bid_received` | `Notification` | A `bid_received` notification |
     *     | `auction_closed` | `Notification` | A `auction_closed` notification |
     *     | `won` | `Notification` | A `won` notification |
     *     | `payment_due` | `Notification` | A `payment_due` notification |
     *     | `payment_lapsed` | `Notification` | A `payment_lapsed` notification |
     *     | `offer_received` | `Notification` | A `offer_received` notification |
     *     | `payment_received` | `Notification` | A `payment_received` notification |
     *     | `auction_unsold` | `Notification` | A `auction_unsold` notification |
     *     | `ending_soon` | `EndingSoonNotification` | Once per auction I watch or bid on, 15 minutes before its end |
     */
    get: operations['streamMyNotifications'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auctions/{id}/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One auction’s live events (Server-Sent Events)
     * @description A `text/event-stream`: a `snapshot`, then the auction’s events in `version` order. Each event’s `id` is the auction’s version after it: reconnect with `Last-Event-ID: N` (or `lastEventId=N`) to get every event after version N, then live ones (a fresh `snapshot` when that history is gone). Under load consecutive states may merge; the latest always arrives. A comment line comes at least every 15 s.
     *
     *     | event | data | meaning |
     *     |---|---|---|
     *     | `snapshot` | `AuctionEvent` | First, unless resumed: the auction now |
     *     | `bid` | `BidEvent` | An accepted bid (and the extension it caused) |
     *     | `extended` | `AuctionEvent` | An extension not caused by a bid |
     *     | `closed` | `AuctionEvent` | The auction ended, with its `outcome` |
     *     | `cancelled` | `AuctionEvent` | The seller cancelled it |
     *     | `settlement` | `AuctionEvent` | Payment or a second-chance offer changed |
     *     | `item_updated` | `AuctionEvent` | The item, its catalogue, prices or live video changed |
     */
    get: operations['streamAuctionEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The live state of several auctions (Server-Sent Events)
     * @description For list pages: a `text/event-stream` with a `snapshot` per known auction (unknown ids are skipped), then their events, with the data of the auction stream but the item’s description cut to a summary (`AuctionSummary`). Events carry no `id`: a reconnect gets fresh snapshots. Under load only the newest state per auction is kept.
     *
     *     | event | data | meaning |
     *     |---|---|---|
     *     | `snapshot` | `AuctionEvent` | First, unless resumed: the auction now |
     *     | `bid` | `BidEvent` | An accepted bid (and the extension it caused) |
     *     | `extended` | `AuctionEvent` | An extension not caused by a bid |
     *     | `closed` | `AuctionEvent` | The auction ended, with its `outcome` |
     *     | `cancelled` | `AuctionEvent` | The seller cancelled it |
     *     | `settlement` | `AuctionEvent` | Payment or a second-chance offer changed |
     *     | `item_updated` | `AuctionEvent` | The item, its catalogue, prices or live video changed |
     */
    get: operations['streamAuctions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/healthz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Liveness
     * @description 200 while the process serves.
     */
    get: operations['getHealth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/readyz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Readiness
     * @description Ready while storage answers. A bus (Redis) that is down does not make the node unready: bids are still taken and durable, so a load balancer must keep the node.
     */
    get: operations['getReadiness'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Prometheus metrics */
    get: operations['getMetrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auctions/{id}/questions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Questions on an auction, newest first
     * @description Published ones for everyone, your own in any status, all of them for the seller.
     */
    get: operations['listQuestions'];
    put?: never;
    /**
     * Ask the seller a question
     * @description It is moderated before anyone else sees it: its status is published, pending_review or rejected. E-mail addresses, phone and card numbers are replaced by [removed].
     */
    post: operations['askQuestion'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auctions/{id}/questions/{questionId}/answer': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Answer a question on your auction
     * @description Seller only; the answer is moderated like the questions and shows once published.
     */
    post: operations['answerQuestion'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/moderation/queue': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Questions and answers waiting for a verdict
     * @description Moderators only: queued or parked items, oldest first.
     */
    get: operations['listModerationQueue'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/moderation/items/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Approve or reject a waiting question or answer
     * @description Moderators only: approve publishes it, reject hides it for good.
     */
    post: operations['decideModerationItem'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auctions/{id}/live': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The live room (WebSocket)
     * @description Upgrade to a WebSocket (`Upgrade: websocket`). Messages are JSON text frames: the server sends a `snapshot` (`auction`, the last 50 `chat` messages, `participants`), then the auction’s events in `version` order (`bid`, `closed`, `cancelled`, `extended`, `settlement`, `item_updated`), `chat`, `presence`, `question`, and to a signed-in bidder their `standing`. A client sends `{ "type": "chat", "text" }` and `{ "type": "bid", "amount", "ref", "idempotencyKey"? }`; each bid frame gets exactly one `bid_result` once the bid is durable, with the status HTTP would answer. Other refusals come as `error` messages and never close the socket. `lastVersion=N` resumes like `Last-Event-ID`: `resumed`, then the events after N. Without a session the viewer may watch but not speak or bid; a cookie session needs the site’s own `Origin`. The messages’ schemas are in `x-websocket-messages` (`LiveRoomServerMessage`, `LiveRoomClientMessage`).
     */
    get: operations['joinLiveRoom'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/inventory/sync': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Create or replace many inventory items at once
     * @description The body is `application/x-ndjson`: one item per line, each with its `externalId`. Up to 50 MiB (413 PAYLOAD_TOO_LARGE above), which may take up to 120 s to arrive. Each line is taken as by PUT /api/v1/inventory/items/{externalId}; a bad line (not JSON, bad fields) fails alone and is reported in `failed`. Items missing from a sync are kept (a sync never deletes).
     */
    post: operations['syncInventory'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/unsubscribe': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The page of an unsubscribe link
     * @description An HTML page with a button that POSTs the one-click unsubscribe.
     */
    get: operations['unsubscribePage'];
    put?: never;
    /**
     * One-click unsubscribe (RFC 8058)
     * @description Turns the link’s notification kind off without signing in. Mail clients POST the form body `List-Unsubscribe=One-Click` to the link of the `List-Unsubscribe` header.
     */
    post: operations['unsubscribe'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/uploads': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Upload an item picture
     * @description The raw bytes of a JPEG, PNG or WebP image (checked by content), at most 5 MiB, 50 per user per day. Give the answered `url` as an item’s picture; one that no auction or inventory item of yours uses within 24 hours is deleted.
     */
    post: operations['uploadPicture'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /**
     * @description An auction as one viewer sees it at `serverTime`: the seller also sees `reservePrice` and `itemExternalId`
     * @example {
     *       "id": "01936b6e-8f3a-7c21-9a4b-5d6e7f809a1b",
     *       "sellerId": "01936b6a-2c4d-7e5f-8a1b-2c3d4e5f6a7b",
     *       "item": {
     *         "name": "Leica M6",
     *         "description": "Boxed, 1986, with the original strap and both caps.",
     *         "imageUrl": "https://images.example/leica-m6.jpg",
     *         "images": [
     *           "https://images.example/leica-m6.jpg"
     *         ]
     *       },
     *       "category": "cameras",
     *       "attributes": {
     *         "make": "Leica",
     *         "year": 1986,
     *         "boxed": true
     *       },
     *       "location": {
     *         "country": "DE",
     *         "region": "Bavaria",
     *         "city": "Munich"
     *       },
     *       "watcherCount": 12,
     *       "currency": "USD",
     *       "startingPrice": 10000,
     *       "minIncrement": 100,
     *       "incrementTable": null,
     *       "proxyBidding": false,
     *       "hasReserve": true,
     *       "reserveMet": false,
     *       "buyNowPrice": 60000,
     *       "buyNowAvailable": false,
     *       "startDate": "2026-11-22T13:00:00.000Z",
     *       "endDate": "2026-11-29T13:00:15.120Z",
     *       "originalEndDate": "2026-11-29T13:00:00.000Z",
     *       "maxEndDate": null,
     *       "softClose": {
     *         "windowSeconds": 30,
     *         "extendSeconds": 30
     *       },
     *       "status": "open",
     *       "currentPrice": 12000,
     *       "highestBid": {
     *         "id": "01936b9f-1a2b-7c3d-8e4f-5a6b7c8d9e0f",
     *         "bidderId": "01936b6c-4e6f-7a81-9b2c-3d4e5f6a7b8c",
     *         "amount": 12000,
     *         "createdAt": "2026-11-29T12:59:45.120Z"
     *       },
     *       "bidCount": 7,
     *       "minNextBid": 12100,
     *       "version": 9,
     *       "outcome": null,
     *       "closedAt": null,
     *       "paymentWindowSeconds": 345600,
     *       "offerWindowSeconds": 172800,
     *       "settlement": null,
     *       "liveStream": null,
     *       "createdAt": "2026-11-20T09:15:00.000Z",
     *       "serverTime": "2026-11-29T12:59:50.000Z"
     *     }
     */
    Auction: {
      id: string;
      sellerId: string;
      item: {
        name: string;
        description: string;
        /** @description The cover picture (the first of `images`) */
        imageUrl: string | null;
        images: string[];
      };
      category: string | null;
      attributes: {
        [key: string]: string | number | boolean;
      };
      location: {
        country: string;
        region: string | null;
        city: string | null;
      } | null;
      /** @description Only in the seller’s view: the inventory item it sells */
      itemExternalId?: string | null;
      /** @description How many users watch the auction. Present in reads (GET one, lists, the watchlist); left out of events, because watching is not a state change */
      watcherCount?: number;
      currency: string;
      startingPrice: number;
      minIncrement: number;
      incrementTable: 'standard' | null;
      proxyBidding: boolean;
      hasReserve: boolean;
      reserveMet: boolean;
      /** @description Only in the seller’s view */
      reservePrice?: number | null;
      buyNowPrice: number | null;
      buyNowAvailable: boolean;
      /** @description ISO 8601 UTC with milliseconds */
      startDate: string;
      /** @description ISO 8601 UTC with milliseconds */
      endDate: string;
      /** @description ISO 8601 UTC with milliseconds */
      originalEndDate: string;
      maxEndDate: string | null;
      softClose: {
        windowSeconds: number;
        extendSeconds: number;
      } | null;
      /** @enum {string} */
      status: 'scheduled' | 'open' | 'closed' | 'cancelled';
      currentPrice: number | null;
      highestBid: {
        id: string;
        bidderId: string;
        amount: number;
        /** @description ISO 8601 UTC with milliseconds */
        createdAt: string;
      } | null;
      bidCount: number;
      minNextBid: number;
      version: number;
      outcome: {
        /** @enum {string} */
        result: 'sold' | 'no_bids' | 'reserve_not_met';
        winnerId: string | null;
        finalPrice: number | null;
      } | null;
      closedAt: string | null;
      paymentWindowSeconds: number;
      offerWindowSeconds: number;
      /** @description After a sold close: payment window and second-chance offers */
      settlement: {
        /** @enum {string} */
        state: 'awaiting_payment' | 'offer_pending' | 'paid' | 'unsold';
        /** @description Who must pay or answer the offer now */
        buyerId: string | null;
        /** @description Hidden (null) from others during a second-chance offer */
        price: number | null;
        deadline: string | null;
        /** @description 0 = the winner, 1… = second-chance offers */
        round: number;
        paidAt: string | null;
      } | null;
      /** @description The seller’s live video (HLS) */
      liveStream: {
        playbackUrl: string;
      } | null;
      /** @description ISO 8601 UTC with milliseconds */
      createdAt: string;
      /** @description ISO 8601 UTC with milliseconds */
      serverTime: string;
    };
    /** @description The auction as anyone may see it right after the change */
    AuctionEvent: {
      auction: components['schemas']['Auction'];
    };
    AuctionPage: {
      items: components['schemas']['Auction'][];
      /** @description Pass as `cursor` for the next page; null on the last page */
      nextCursor: string | null;
    };
    /**
     * @description An auction in a list: as `Auction`, with a summary of the item’s description
     * @example {
     *       "id": "01936b6e-8f3a-7c21-9a4b-5d6e7f809a1b",
     *       "sellerId": "01936b6a-2c4d-7e5f-8a1b-2c3d4e5f6a7b",
     *       "item": {
     *         "name": "Leica M6",
     *         "description": "Boxed, 1986, with the original strap and both caps.",
     *         "imageUrl": "https://images.example/leica-m6.jpg",
     *         "images": [
     *           "https://images.example/leica-m6.jpg"
     *         ],
     *         "descriptionTruncated": false
     *       },
     *       "category": "cameras",
     *       "attributes": {
     *         "make": "Leica",
     *         "year": 1986,
     *         "boxed": true
     *       },
     *       "location": {
     *         "country": "DE",
     *         "region": "Bavaria",
     *         "city": "Munich"
     *       },
     *       "watcherCount": 12,
     *       "currency": "USD",
     *       "startingPrice": 10000,
     *       "minIncrement": 100,
     *       "incrementTable": null,
     *       "proxyBidding": false,
     *       "hasReserve": true,
     *       "reserveMet": false,
     *       "buyNowPrice": 60000,
     *       "buyNowAvailable": false,
     *       "startDate": "2026-11-22T13:00:00.000Z",
     *       "endDate": "2026-11-29T13:00:15.120Z",
     *       "originalEndDate": "2026-11-29T13:00:00.000Z",
     *       "maxEndDate": null,
     *       "softClose": {
     *         "windowSeconds": 30,
     *         "extendSeconds": 30
     *       },
     *       "status": "open",
     *       "currentPrice": 12000,
     *       "highestBid": {
     *         "id": "01936b9f-1a2b-7c3d-8e4f-5a6b7c8d9e0f",
     *         "bidderId": "01936b6c-4e6f-7a81-9b2c-3d4e5f6a7b8c",
     *         "amount": 12000,
     *         "createdAt": "2026-11-29T12:59:45.120Z"
     *       },
     *       "bidCount": 7,
     *       "minNextBid": 12100,
     *       "version": 9,
     *       "outcome": null,
     *       "closedAt": null,
     *       "paymentWindowSeconds": 345600,
     *       "offerWindowSeconds": 172800,
     *       "settlement": null,
     *       "liveStream": null,
     *       "createdAt": "2026-11-20T09:15:00.000Z",
     *       "serverTime": "2026-11-29T12:59:50.000Z"
     *     }
     */
    AuctionSummary: {
      id: string;
      sellerId: string;
      item: {
        name: string;
        /** @description At most 200 characters, cut between words where possible and ending in "…" when cut */
        description: string;
        /** @description The cover picture (the first of `images`) */
        imageUrl: string | null;
        images: string[];
        /** @description Whether `description` was cut (GET /api/v1/auctions/{id} has all of it) */
        descriptionTruncated: boolean;
      };
      category: string | null;
      attributes: {
        [key: string]: string | number | boolean;
      };
      location: {
        country: string;
        region: string | null;
        city: string | null;
      } | null;
      /** @description Only in the seller’s view: the inventory item it sells */
      itemExternalId?: string | null;
      /** @description How many users watch the auction. Present in reads (GET one, lists, the watchlist); left out of events, because watching is not a state change */
      watcherCount?: number;
      currency: string;
      startingPrice: number;
      minIncrement: number;
      incrementTable: 'standard' | null;
      proxyBidding: boolean;
      hasReserve: boolean;
      reserveMet: boolean;
      /** @description Only in the seller’s view */
      reservePrice?: number | null;
      buyNowPrice: number | null;
      buyNowAvailable: boolean;
      /** @description ISO 8601 UTC with milliseconds */
      startDate: string;
      /** @description ISO 8601 UTC with milliseconds */
      endDate: string;
      /** @description ISO 8601 UTC with milliseconds */
      originalEndDate: string;
      maxEndDate: string | null;
      softClose: {
        windowSeconds: number;
        extendSeconds: number;
      } | null;
      /** @enum {string} */
      status: 'scheduled' | 'open' | 'closed' | 'cancelled';
      currentPrice: number | null;
      highestBid: {
        id: string;
        bidderId: string;
        amount: number;
        /** @description ISO 8601 UTC with milliseconds */
        createdAt: string;
      } | null;
      bidCount: number;
      minNextBid: number;
      version: number;
      outcome: {
        /** @enum {string} */
        result: 'sold' | 'no_bids' | 'reserve_not_met';
        winnerId: string | null;
        finalPrice: number | null;
      } | null;
      closedAt: string | null;
      paymentWindowSeconds: number;
      offerWindowSeconds: number;
      /** @description After a sold close: payment window and second-chance offers */
      settlement: {
        /** @enum {string} */
        state: 'awaiting_payment' | 'offer_pending' | 'paid' | 'unsold';
        /** @description Who must pay or answer the offer now */
        buyerId: string | null;
        /** @description Hidden (null) from others during a second-chance offer */
        price: number | null;
        deadline: string | null;
        /** @description 0 = the winner, 1… = second-chance offers */
        round: number;
        paidAt: string | null;
      } | null;
      /** @description The seller’s live video (HLS) */
      liveStream: {
        playbackUrl: string;
      } | null;
      /** @description ISO 8601 UTC with milliseconds */
      createdAt: string;
      /** @description ISO 8601 UTC with milliseconds */
      serverTime: string;
    };
    AuctionSummaryPage: {
      items: components['schemas']['AuctionSummary'][];
      /** @description Pass as `cursor` for the next page; null on the last page */
      nextCursor: string | null;
    };
    /**
     * @description A bid, accepted or rejected (rejected bids are stored too, with their reason)
     * @example {
     *       "id": "01936b9f-1a2b-7c3d-8e4f-5a6b7c8d9e0f",
     *       "auctionId": "01936b6e-8f3a-7c21-9a4b-5d6e7f809a1b",
     *       "bidderId": "01936b6c-4e6f-7a81-9b2c-3d4e5f6a7b8c",
     *       "amount": 12000,
     *       "kind": "bid",
     *       "status": "accepted",
     *       "reason": null,
     *       "createdAt": "2026-11-29T12:59:45.120Z",
     *       "auctionVersion": 9
     *     }
     */
    Bid: {
      id: string;
      auctionId: string;
      bidderId: string;
      amount: number;
      /**
       * @description proxy: placed by the engine up to the bidder’s maximum
       * @enum {string}
       */
      kind: 'bid' | 'proxy' | 'buy_now';
      /** @description Only in your own bids: the maximum you submitted */
      maxAmount?: number | null;
      /** @enum {string} */
      status: 'accepted' | 'rejected';
      reason: ('BID_TOO_LOW' | 'AUCTION_CLOSED' | 'AUCTION_NOT_STARTED' | 'AUCTION_CANCELLED' | 'SELF_BIDDING') | null;
      /** @description ISO 8601 UTC with milliseconds */
      createdAt: string;
      auctionVersion: number;
    };
    /** @description An accepted bid and the auction right after it */
    BidEvent: {
      bid: components['schemas']['Bid'];
      auction: components['schemas']['Auction'];
    };
    BidPage: {
      items: components['schemas']['Bid'][];
      /** @description Pass as `cursor` for the next page; null on the last page */
      nextCursor: string | null;
    };
    /** @description An auction you watch or bid on ends in 15 minutes */
    EndingSoonNotification: {
      /** @constant */
      type: 'ending_soon';
      auction: components['schemas']['Auction'];
    };
    /**
     * @example {
     *       "total": 42,
     *       "categories": [
     *         {
     *           "value": "cameras",
     *           "count": 30
     *         },
     *         {
     *           "value": "lenses",
     *           "count": 12
     *         }
     *       ],
     *       "attributes": {
     *         "make": [
     *           {
     *             "value": "Leica",
     *             "count": 18
     *           },
     *           {
     *             "value": "Nikon",
     *             "count": 9
     *           }
     *         ],
     *         "boxed": [
     *           {
     *             "value": true,
     *             "count": 21
     *           }
     *         ]
     *       },
     *       "price": {
     *         "min": 2500,
     *         "max": 240000
     *       },
     *       "exact": true
     *     }
     */
    Facets: {
      /** @description How many auctions match every filter */
      total: number;
      categories: {
        value: string;
        count: number;
      }[];
      attributes: {
        [key: string]: {
          value: string | number | boolean;
          count: number;
        }[];
      };
      price: {
        min: number | null;
        max: number | null;
      };
      /** @description False above 10000 matches: the counts may then be estimates */
      exact: boolean;
    };
    /**
     * @example {
     *       "externalId": "SKU-1986-M6",
     *       "name": "Leica M6",
     *       "description": "Boxed, 1986, with the original strap and both caps.",
     *       "imageUrl": "https://images.example/leica-m6.jpg",
     *       "images": [
     *         "https://images.example/leica-m6.jpg"
     *       ],
     *       "category": "cameras",
     *       "attributes": {
     *         "make": "Leica",
     *         "year": 1986,
     *         "boxed": true
     *       },
     *       "location": {
     *         "country": "DE",
     *         "region": "Bavaria",
     *         "city": "Munich"
     *       },
     *       "revision": 3,
     *       "updatedAt": "2026-11-21T16:20:00.000Z"
     *     }
     */
    InventoryItem: {
      externalId: string;
      name: string;
      description: string;
      /** @description The cover picture (the first of `images`) */
      imageUrl: string | null;
      images: string[];
      category: string | null;
      attributes: {
        [key: string]: string | number | boolean;
      };
      location: {
        country: string;
        region: string | null;
        city: string | null;
      } | null;
      /** @description 1 when created, +1 on every change */
      revision: number;
      /** @description ISO 8601 UTC with milliseconds: the last change */
      updatedAt: string;
    };
    /**
     * @description What an inventory item says; `PUT` replaces the whole item (a field left out takes its default)
     * @example {
     *       "name": "Leica M6",
     *       "description": "Boxed, 1986, with the original strap and both caps.",
     *       "imageUrl": "https://images.example/leica-m6.jpg",
     *       "category": "cameras",
     *       "attributes": {
     *         "make": "Leica",
     *         "year": 1986,
     *         "boxed": true
     *       },
     *       "location": {
     *         "country": "DE",
     *         "region": "Bavaria",
     *         "city": "Munich"
     *       }
     *     }
     */
    InventoryItemContentInput: {
      name: string;
      /** @default  */
      description?: string;
      /**
       * @description The cover picture: http(s) URL, or the url answered by POST /api/v1/uploads (or give `images`)
       * @default null
       */
      imageUrl?: string | null;
      /** @description Up to 10 pictures, the cover first (it is also `imageUrl`) */
      images?: string[];
      /** @default null */
      category?: string | null;
      /**
       * @description Up to 30 typed facts, e.g. { "make": "Toyota", "year": 2019, "runs": true }: keys ^[a-z][a-z0-9_]{0,39}$; values are strings of 1–200 characters, numbers or booleans
       * @default {}
       */
      attributes?: {
        [key: string]: string | number | boolean;
      };
      /** @default null */
      location?: {
        /** @description ISO 3166-1 alpha-2, e.g. DE */
        country: string;
        /** @default null */
        region?: string | null;
        /** @default null */
        city?: string | null;
      } | null;
    };
    InventoryItemPage: {
      items: components['schemas']['InventoryItem'][];
      /** @description Pass as `cursor` for the next page; null on the last page */
      nextCursor: string | null;
    };
    /**
     * @example {
     *       "created": 9998,
     *       "updated": 1,
     *       "unchanged": 0,
     *       "failed": [
     *         {
     *           "line": 17,
     *           "code": "VALIDATION_FAILED",
     *           "detail": "/name: Too small: expected string to have >=1 characters"
     *         }
     *       ]
     *     }
     */
    InventorySyncResult: {
      created: number;
      updated: number;
      unchanged: number;
      /** @description The lines that were not taken (each alone: the others were) */
      failed: {
        /** @description Counted from 1 */
        line: number;
        code: string;
        detail: string;
      }[];
    };
    /**
     * @example {
     *       "bidderId": "01936b6c-4e6f-7a81-9b2c-3d4e5f6a7b8c",
     *       "displayName": "Bob",
     *       "bidderTag": "7K2Q9D",
     *       "amount": 12000,
     *       "bidAt": "2026-11-29T12:59:45.120Z"
     *     }
     */
    LeaderboardEntry: {
      bidderId: string;
      displayName: string;
      /** @description Short stable public discriminator derived from the user id (6 Crockford base32 characters) */
      bidderTag: string;
      amount: number;
      /** @description ISO 8601 UTC with milliseconds */
      bidAt: string;
    };
    /**
     * @example {
     *       "item": {
     *         "description": "Boxed, 1986; serviced in 2025."
     *       },
     *       "buyNowPrice": 55000
     *     }
     */
    ListingEditInput: {
      item?: {
        name?: string;
        description?: string;
        /** @description Replaces the pictures (up to 10, the cover first; [] removes them all) */
        images?: string[];
      };
      /** @description null removes it */
      category?: string | null;
      /** @description Replaces the whole map ({} removes them all) */
      attributes?: {
        [key: string]: string | number | boolean;
      };
      /** @description null removes it */
      location?: {
        /** @description ISO 3166-1 alpha-2, e.g. DE */
        country: string;
        /** @default null */
        region?: string | null;
        /** @default null */
        city?: string | null;
      } | null;
      /** @description Only while no bid has been accepted */
      startingPrice?: number;
      /** @description Only while no bid has been accepted; null removes it */
      buyNowPrice?: number | null;
      /** @description Only while no bid has been accepted; null removes it */
      reservePrice?: number | null;
      /**
       * Format: date-time
       * @description Only while no bid has been accepted; in the future, after the start
       */
      endDate?: string;
    };
    LiveRoomClientMessage:
      | {
          /** @constant */
          type: 'chat';
          text: string;
        }
      | {
          /** @constant */
          type: 'bid';
          /** @description Integer minor units (cents for USD), 1 … 1,000,000,000,000 */
          amount: number;
          /** @description Echoed in the one `bid_result` answering it */
          ref: string | number;
          idempotencyKey?: string;
        };
    LiveRoomServerMessage:
      | {
          /** @constant */
          type: 'snapshot';
          auction: components['schemas']['Auction'];
          /** @description The last 50 messages, oldest first */
          chat: {
            id: string;
            userId: string;
            displayName: string;
            text: string;
            /** @description ISO 8601 UTC with milliseconds */
            sentAt: string;
          }[];
          participants: number;
        }
      | {
          /** @constant */
          type: 'resumed';
          chat: {
            id: string;
            userId: string;
            displayName: string;
            text: string;
            /** @description ISO 8601 UTC with milliseconds */
            sentAt: string;
          }[];
          participants: number;
        }
      | {
          /** @constant */
          type: 'bid';
          bid: components['schemas']['Bid'];
          auction: components['schemas']['Auction'];
        }
      | {
          /** @enum {string} */
          type: 'closed' | 'cancelled' | 'extended' | 'settlement' | 'item_updated';
          auction: components['schemas']['Auction'];
        }
      | {
          /** @constant */
          type: 'chat';
          message: {
            id: string;
            userId: string;
            displayName: string;
            text: string;
            /** @description ISO 8601 UTC with milliseconds */
            sentAt: string;
          };
        }
      | {
          /** @constant */
          type: 'presence';
          participants: number;
        }
      | {
          /** @constant */
          type: 'standing';
          /** @enum {string} */
          standing: 'leading' | 'outbid' | 'won' | 'lost';
        }
      | {
          /** @constant */
          type: 'question';
          question: components['schemas']['Question'];
        }
      | {
          /** @constant */
          type: 'bid_result';
          /** @description The `ref` of the bid frame answered */
          ref: string | number;
          /** @description As HTTP would answer: 201, 409, 400, 401, 422, 429… */
          status: number;
          /** @description The first answer again (same idempotencyKey) */
          replayed?: boolean;
          /** @description The error code when refused */
          code?: string;
          detail?: string;
          retryAfterSeconds?: number;
          bid?: components['schemas']['Bid'];
          auction?: components['schemas']['Auction'];
        }
      | {
          /** @constant */
          type: 'error';
          code: string;
          detail: string;
          ref?: string | number;
        }
      | {
          /** @constant */
          type: 'signed_out';
        };
    /**
     * @example {
     *       "playbackUrl": "https://video.example/live/index.m3u8"
     *     }
     */
    LiveStreamInput: {
      /**
       * Format: uri
       * @description HLS playlist, e.g. https://video.example/live/index.m3u8
       */
      playbackUrl: string;
    };
    /**
     * @example {
     *       "username": "alice",
     *       "password": "correct horse battery"
     *     }
     */
    LogInInput: {
      username: string;
      password: string;
    };
    /**
     * @example {
     *       "decision": "approve"
     *     }
     */
    ModerationDecisionInput: {
      /** @enum {string} */
      decision: 'approve' | 'reject';
    };
    /** @description A question or answer waiting for a moderator’s verdict */
    ModerationItem: {
      id: string;
      /** @enum {string} */
      kind: 'question' | 'answer';
      auctionId: string;
      text: string;
      /** @enum {string} */
      status: 'published' | 'pending_review' | 'rejected';
      attempts: number;
      lastError: string | null;
      parked: boolean;
      /** @description ISO 8601 UTC with milliseconds */
      createdAt: string;
    };
    /**
     * @example {
     *       "auction": {
     *         "id": "01936b6e-8f3a-7c21-9a4b-5d6e7f809a1b",
     *         "sellerId": "01936b6a-2c4d-7e5f-8a1b-2c3d4e5f6a7b",
     *         "item": {
     *           "name": "Leica M6",
     *           "description": "Boxed, 1986, with the original strap and both caps.",
     *           "imageUrl": "https://images.example/leica-m6.jpg",
     *           "images": [
     *             "https://images.example/leica-m6.jpg"
     *           ]
     *         },
     *         "category": "cameras",
     *         "attributes": {
     *           "make": "Leica",
     *           "year": 1986,
     *           "boxed": true
     *         },
     *         "location": {
     *           "country": "DE",
     *           "region": "Bavaria",
     *           "city": "Munich"
     *         },
     *         "watcherCount": 12,
     *         "currency": "USD",
     *         "startingPrice": 10000,
     *         "minIncrement": 100,
     *         "incrementTable": null,
     *         "proxyBidding": false,
     *         "hasReserve": true,
     *         "reserveMet": false,
     *         "buyNowPrice": 60000,
     *         "buyNowAvailable": false,
     *         "startDate": "2026-11-22T13:00:00.000Z",
     *         "endDate": "2026-11-29T13:00:15.120Z",
     *         "originalEndDate": "2026-11-29T13:00:00.000Z",
     *         "maxEndDate": null,
     *         "softClose": {
     *           "windowSeconds": 30,
     *           "extendSeconds": 30
     *         },
     *         "status": "open",
     *         "currentPrice": 12000,
     *         "highestBid": {
     *           "id": "01936b9f-1a2b-7c3d-8e4f-5a6b7c8d9e0f",
     *           "bidderId": "01936b6c-4e6f-7a81-9b2c-3d4e5f6a7b8c",
     *           "amount": 12000,
     *           "createdAt": "2026-11-29T12:59:45.120Z"
     *         },
     *         "bidCount": 7,
     *         "minNextBid": 12100,
     *         "version": 9,
     *         "outcome": null,
     *         "closedAt": null,
     *         "paymentWindowSeconds": 345600,
     *         "offerWindowSeconds": 172800,
     *         "settlement": null,
     *         "liveStream": null,
     *         "createdAt": "2026-11-20T09:15:00.000Z",
     *         "serverTime": "2026-11-29T12:59:50.000Z"
     *       },
     *       "highestBid": 12000,
     *       "maximum": null,
     *       "standing": "leading",
     *       "lastBidAt": "2026-11-29T12:59:45.120Z"
     *     }
     */
    MyBid: {
      auction: components['schemas']['Auction'];
      /** @description Your highest accepted (visible) bid */
      highestBid: number;
      /** @description Your highest maximum (proxy bidding) */
      maximum: number | null;
      standing: components['schemas']['Standing'];
      /** @description ISO 8601 UTC with milliseconds */
      lastBidAt: string;
    };
    MyBidPage: {
      items: components['schemas']['MyBid'][];
      /** @description Pass as `cursor` for the next page; null on the last page */
      nextCursor: string | null;
    };
    /**
     * @example {
     *       "item": {
     *         "name": "Leica M6",
     *         "description": "Boxed, 1986, with the original strap and both caps.",
     *         "imageUrl": "https://images.example/leica-m6.jpg"
     *       },
     *       "category": "cameras",
     *       "attributes": {
     *         "make": "Leica",
     *         "year": 1986,
     *         "boxed": true
     *       },
     *       "location": {
     *         "country": "DE",
     *         "region": "Bavaria",
     *         "city": "Munich"
     *       },
     *       "startingPrice": 10000,
     *       "currency": "USD",
     *       "startDate": "2026-11-22T13:00:00.000Z",
     *       "endDate": "2026-11-29T13:00:00.000Z",
     *       "minIncrement": 100,
     *       "reservePrice": 25000,
     *       "buyNowPrice": 60000,
     *       "softClose": {
     *         "windowSeconds": 30,
     *         "extendSeconds": 30
     *       }
     *     }
     */
    NewAuctionInput: {
      /** @description What is sold; or give `itemExternalId` instead (exactly one of the two) */
      item?: {
        name: string;
        /** @default  */
        description?: string;
        /**
         * @description The cover picture: http(s) URL, or the url answered by POST /api/v1/uploads (or give `images`)
         * @default null
         */
        imageUrl?: string | null;
        /** @description Up to 10 pictures, the cover first (it is also `imageUrl`) */
        images?: string[];
      };
      /** @description Sell one of your inventory items (PUT /api/v1/inventory/items/{externalId}) instead of giving `item`: the auction takes its item, category, attributes and location, and follows its changes until it ends */
      itemExternalId?: string;
      category?: string | null;
      /** @description Up to 30 typed facts, e.g. { "make": "Toyota", "year": 2019, "runs": true }: keys ^[a-z][a-z0-9_]{0,39}$; values are strings of 1–200 characters, numbers or booleans */
      attributes?: {
        [key: string]: string | number | boolean;
      };
      location?: {
        /** @description ISO 3166-1 alpha-2, e.g. DE */
        country: string;
        /** @default null */
        region?: string | null;
        /** @default null */
        city?: string | null;
      } | null;
      /** @description Integer minor units (cents for USD), 1 … 1,000,000,000,000 */
      startingPrice: number;
      /**
       * @description ISO 4217 code (XXX and XTS are not currencies)
       * @default USD
       */
      currency?: string;
      /**
       * Format: date-time
       * @description Defaults to now
       */
      startDate?: string;
      /**
       * Format: date-time
       * @description ISO 8601 date-time, e.g. 2026-11-22T13:00:00.000Z
       */
      endDate: string;
      /**
       * @description Integer minor units (cents for USD), 1 … 1,000,000,000,000
       * @default 1
       */
      minIncrement?: number;
      /**
       * @description Hidden from everyone but the seller
       * @default null
       */
      reservePrice?: number | null;
      /** @default null */
      buyNowPrice?: number | null;
      /** @description Default { windowSeconds: 30, extendSeconds: 30 }; null = hard close */
      softClose?: {
        windowSeconds: number;
        extendSeconds: number;
      } | null;
      /**
       * @description Optional cap on soft-close extensions
       * @default null
       */
      maxEndDate?: string | null;
      /**
       * @description Bids are maximums; the engine bids for each bidder up to theirs
       * @default false
       */
      proxyBidding?: boolean;
      /**
       * @description `standard`: increments keyed on the current price (eBay table); null: the fixed minIncrement
       * @default null
       */
      incrementTable?: 'standard' | null;
      /**
       * @description Time the winner (or an offeree who accepted) has to pay; default 4 days
       * @default 345600
       */
      paymentWindowSeconds?: number;
      /**
       * @description Time to answer a second-chance offer; default 2 days
       * @default 172800
       */
      offerWindowSeconds?: number;
      /**
       * @description The seller’s live video (HLS playlist); the seller may set or remove it later
       * @default null
       */
      liveStream?: components['schemas']['LiveStreamInput'] | null;
    };
    /** @description Something that happened on an auction you bid on or sell */
    Notification: {
      /** @enum {string} */
      type:
        | 'outbid'
        | 'leading'
        | 'bid_received'
        | 'auction_closed'
        | 'won'
        | 'payment_due'
        | 'payment_lapsed'
        | 'offer_received'
        | 'payment_received'
        | 'auction_unsold';
      auctionId: string;
      itemName: string;
      currency: string;
      currentPrice: number | null;
      /** @description The auction’s version after the change */
      version: number;
      /** @description Payment and offers: the amount that concerns you */
      price?: number | null;
      /** @description Payment and offers: until when */
      deadline?: string | null;
    };
    /**
     * @example {
     *       "email": {
     *         "outbid": true,
     *         "won": true,
     *         "payment_due": true,
     *         "sold": true,
     *         "ending_soon": false,
     *         "question": true
     *       }
     *     }
     */
    NotificationSettings: {
      /** @description Each notification kind (outbid, won, payment_due, sold, ending_soon, question): mailed or not */
      email: {
        [key: string]: boolean;
      };
    };
    /**
     * @example {
     *       "amount": 12100
     *     }
     */
    PlaceBidInput: {
      /** @description Integer minor units (cents for USD), 1 … 1,000,000,000,000 */
      amount: number;
    };
    /**
     * @description An RFC 9457 problem document (`application/problem+json`). Some codes add members: a refused bid carries the stored `bid` and the current `auction`, a refused action the `auction`
     * @example {
     *       "type": "https://gavel.dev/errors/validation-failed",
     *       "title": "The request is not valid",
     *       "status": 400,
     *       "code": "VALIDATION_FAILED",
     *       "detail": "body is not valid",
     *       "errors": [
     *         {
     *           "in": "body",
     *           "path": "/amount",
     *           "message": "Too small: expected number to be >=1"
     *         }
     *       ]
     *     }
     */
    Problem: {
      /** @description A URI naming the kind of problem (one per code) */
      type: string;
      /** @description The code’s title, the same every time */
      title: string;
      /** @description The HTTP status */
      status: number;
      /** @description Stable identifier from the error catalogue: match on it, never on the text */
      code: string;
      /** @description What went wrong this time, for people */
      detail: string;
      /** @description VALIDATION_FAILED: each problem found in the request */
      errors?: {
        /** @description body, querystring, params or headers */
        in: string;
        /** @description JSON pointer into that part, `/` for the whole */
        path: string;
        message: string;
      }[];
    } & {
      [key: string]: unknown;
    };
    /**
     * @description Anyone’s view of a user: never the username, which is a login name
     * @example {
     *       "id": "01936b6c-4e6f-7a81-9b2c-3d4e5f6a7b8c",
     *       "displayName": "Bob",
     *       "tag": "7K2Q9D",
     *       "createdAt": "2026-11-02T10:30:00.000Z"
     *     }
     */
    PublicUser: {
      id: string;
      displayName: string;
      /** @description Short stable public discriminator derived from the user id (6 Crockford base32 characters) */
      tag: string;
      /** @description ISO 8601 UTC with milliseconds */
      createdAt: string;
    };
    /**
     * @example {
     *       "id": "01936b80-5b6c-7d8e-9f0a-1b2c3d4e5f60",
     *       "auctionId": "01936b6e-8f3a-7c21-9a4b-5d6e7f809a1b",
     *       "askerId": "01936b6c-4e6f-7a81-9b2c-3d4e5f6a7b8c",
     *       "text": "Does the light meter work?",
     *       "status": "published",
     *       "answer": {
     *         "id": "01936b84-6c7d-7e8f-8a9b-2c3d4e5f6a71",
     *         "text": "Yes, and it was serviced last year.",
     *         "status": "published",
     *         "answeredAt": "2026-11-24T18:02:00.000Z"
     *       },
     *       "createdAt": "2026-11-24T17:40:00.000Z"
     *     }
     */
    Question: {
      id: string;
      auctionId: string;
      askerId: string;
      text: string;
      /** @enum {string} */
      status: 'published' | 'pending_review' | 'rejected';
      answer: {
        id: string;
        text: string;
        /** @enum {string} */
        status: 'published' | 'pending_review' | 'rejected';
        /** @description ISO 8601 UTC with milliseconds */
        answeredAt: string;
      } | null;
      /** @description ISO 8601 UTC with milliseconds */
      createdAt: string;
    };
    QuestionPage: {
      items: components['schemas']['Question'][];
      /** @description Pass as `cursor` for the next page; null on the last page */
      nextCursor: string | null;
    };
    /**
     * @example {
     *       "text": "Does the light meter work?"
     *     }
     */
    QuestionTextInput: {
      /** @description 1–2,000 characters; e-mail addresses, phone and card numbers are replaced by [removed] */
      text: string;
    };
    /**
     * @example {
     *       "token": "q3V0bXkR1c2Vzc2lvbi10b2tlbi1leGFtcGxlLTQzY2hhcnM",
     *       "expiresAt": "2026-12-01T08:00:00.000Z",
     *       "user": {
     *         "id": "01936b6a-2c4d-7e5f-8a1b-2c3d4e5f6a7b",
     *         "username": "alice",
     *         "displayName": "Alice",
     *         "createdAt": "2026-11-01T08:00:00.000Z",
     *         "email": "alice@example.com",
     *         "emailVerified": true
     *       }
     *     }
     */
    Session: {
      /** @description Send as `Authorization: Bearer <token>` */
      token: string;
      /** @description ISO 8601 UTC with milliseconds */
      expiresAt: string;
      user: components['schemas']['User'];
    };
    /**
     * @example {
     *       "user": {
     *         "id": "01936b6a-2c4d-7e5f-8a1b-2c3d4e5f6a7b",
     *         "username": "alice",
     *         "displayName": "Alice",
     *         "createdAt": "2026-11-01T08:00:00.000Z",
     *         "email": "alice@example.com",
     *         "emailVerified": true
     *       },
     *       "moderator": false
     *     }
     */
    SessionState: {
      user: components['schemas']['User'] | null;
      moderator: boolean;
    };
    SignUpInput: {
      username: string;
      /** @description 8–128 characters, not only whitespace, not one of the 10,000 most common breached passwords */
      password: string;
      /** @description Shown to everyone: NFC-normalised and trimmed, then 1–64 characters with a visible one; no control or bidirectional characters */
      displayName?: string;
    };
    /**
     * @description Where a bidder stands on one auction, from their own point of view
     * @enum {string}
     */
    Standing: 'leading' | 'outbid' | 'payment_due' | 'offer_received' | 'won' | 'payment_lapsed' | 'lost' | 'cancelled';
    /**
     * @description The signed-in user’s own view: the only one with the login username
     * @example {
     *       "id": "01936b6a-2c4d-7e5f-8a1b-2c3d4e5f6a7b",
     *       "username": "alice",
     *       "displayName": "Alice",
     *       "createdAt": "2026-11-01T08:00:00.000Z",
     *       "email": "alice@example.com",
     *       "emailVerified": true
     *     }
     */
    User: {
      id: string;
      username: string;
      displayName: string;
      /** @description ISO 8601 UTC with milliseconds */
      createdAt: string;
      /** @description The verified e-mail address (only its owner ever sees it), or null */
      email: string | null;
      /** @description Whether `email` is a verified address (notifications go to it) */
      emailVerified: boolean;
    };
    /**
     * @description A webhook as its owner sees it (its secret is shown only when it is created)
     * @example {
     *       "id": "01936c00-1a2b-7c3d-8e4f-5a6b7c8d9e0f",
     *       "url": "https://erp.example/gavel",
     *       "events": [
     *         "bid.accepted",
     *         "auction.closed"
     *       ],
     *       "createdAt": "2026-11-20T09:15:00.000Z"
     *     }
     */
    Webhook: {
      id: string;
      url: string;
      events: string[];
      /** @description ISO 8601 UTC with milliseconds */
      createdAt: string;
    };
    /**
     * @description One event sent, or to be sent, to one webhook: at least once, the same `eventId` on every attempt
     * @example {
     *       "id": "3f9e0c6b2d8a4e1f9b7c5a3d1e0f2a4b",
     *       "eventId": "01936b6e-8f3a-7c21-9a4b-5d6e7f809a1b.9.bid.accepted",
     *       "type": "bid.accepted",
     *       "auctionId": "01936b6e-8f3a-7c21-9a4b-5d6e7f809a1b",
     *       "version": 9,
     *       "status": "pending",
     *       "attempts": 2,
     *       "lastError": "HTTP 503",
     *       "createdAt": "2026-11-29T12:59:45.120Z",
     *       "nextAttemptAt": "2026-11-29T13:00:05.120Z",
     *       "lastAttemptAt": "2026-11-29T12:59:55.120Z",
     *       "deliveredAt": null,
     *       "manual": false
     *     }
     */
    WebhookDelivery: {
      id: string;
      /** @description The `id` of the delivered body: the same on every attempt */
      eventId: string;
      type: string;
      auctionId: string;
      version: number;
      /** @enum {string} */
      status: 'pending' | 'delivered' | 'failed';
      attempts: number;
      lastError: string | null;
      /** @description ISO 8601 UTC with milliseconds */
      createdAt: string;
      nextAttemptAt: string | null;
      lastAttemptAt: string | null;
      deliveredAt: string | null;
      /** @description Sent again by hand: may arrive out of the auction’s order */
      manual: boolean;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  getApiDocument: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The OpenAPI 3.1 document */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  signUp: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['SignUpInput'];
      };
    };
    responses: {
      /** @description Signed up: the new user’s own view */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            user: components['schemas']['User'];
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `USERNAME_TAKEN`: That username is taken */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'USERNAME_TAKEN';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'PAYLOAD_TOO_LARGE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNSUPPORTED_MEDIA_TYPE`: The request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNSUPPORTED_MEDIA_TYPE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `RATE_LIMITED`: Too many requests: slow down and retry after the time given in Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'RATE_LIMITED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  getUser: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The public profile */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            user: components['schemas']['PublicUser'];
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `USER_NOT_FOUND`: No such user */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'USER_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  logIn: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['LogInInput'];
      };
    };
    responses: {
      /** @description Logged in */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Session'];
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `INVALID_CREDENTIALS`: Username or password is wrong */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'INVALID_CREDENTIALS';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'PAYLOAD_TOO_LARGE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNSUPPORTED_MEDIA_TYPE`: The request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNSUPPORTED_MEDIA_TYPE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `RATE_LIMITED`: Too many requests: slow down and retry after the time given in Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'RATE_LIMITED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  logOutEverywhere: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every session ended */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  getCurrentSession: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Who is signed in */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SessionState'];
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  logOut: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Logged out */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  getMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The signed-in user’s own view */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            user: components['schemas']['User'];
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  getAuctionFacets: {
    parameters: {
      query?: {
        status?: 'scheduled' | 'open' | 'closed' | 'cancelled';
        sellerId?: string;
        /** @description Search words (letters and digits; at most 5 different ones, else 400). Each must match a word of the item's name or description, ignoring case and accents: from 3 characters on as the start of a word, shorter ones as a whole word */
        q?: string;
        /** @description ending_soon (default) with a status: soonest end first; without one: open auctions (soonest end first), then scheduled ones, then ended ones (latest end first) */
        sort?: 'ending_soon' | 'newest' | 'price_asc' | 'price_desc' | 'bids_desc';
        /** @description 1–100, default 20 */
        limit?: string;
        cursor?: string;
        /** @description Category; repeat it for any of several (at most 20) */
        category?: string | string[];
        /** @description ISO 4217 currency (price filters compare minor units: combine them with it); repeat it for any of several (at most 20) */
        currency?: string | string[];
        /** @description Lowest list price (current price, or starting price before a bid), minor units */
        minPrice?: string;
        /** @description Highest list price, minor units */
        maxPrice?: string;
        /** @description ISO 3166-1 alpha-2 country; repeat it for any of several (at most 20) */
        country?: string | string[];
        /** @description City (ignoring case); repeat it for any of several (at most 20) */
        city?: string | string[];
        /** @description Ends strictly after this time */
        endsAfter?: string;
        /** @description Ends strictly before this time */
        endsBefore?: string;
        /** @description true: only auctions that can be bought now */
        hasBuyNow?: 'true' | 'false';
        /** @description me: auctions you have an accepted bid on (sign-in required) */
        bidder?: 'me';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The counts */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Facets'];
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  listAuctions: {
    parameters: {
      query?: {
        status?: 'scheduled' | 'open' | 'closed' | 'cancelled';
        sellerId?: string;
        /** @description Search words (letters and digits; at most 5 different ones, else 400). Each must match a word of the item's name or description, ignoring case and accents: from 3 characters on as the start of a word, shorter ones as a whole word */
        q?: string;
        /** @description ending_soon (default) with a status: soonest end first; without one: open auctions (soonest end first), then scheduled ones, then ended ones (latest end first) */
        sort?: 'ending_soon' | 'newest' | 'price_asc' | 'price_desc' | 'bids_desc';
        /** @description 1–100, default 20 */
        limit?: string;
        cursor?: string;
        /** @description Category; repeat it for any of several (at most 20) */
        category?: string | string[];
        /** @description ISO 4217 currency (price filters compare minor units: combine them with it); repeat it for any of several (at most 20) */
        currency?: string | string[];
        /** @description Lowest list price (current price, or starting price before a bid), minor units */
        minPrice?: string;
        /** @description Highest list price, minor units */
        maxPrice?: string;
        /** @description ISO 3166-1 alpha-2 country; repeat it for any of several (at most 20) */
        country?: string | string[];
        /** @description City (ignoring case); repeat it for any of several (at most 20) */
        city?: string | string[];
        /** @description Ends strictly after this time */
        endsAfter?: string;
        /** @description Ends strictly before this time */
        endsBefore?: string;
        /** @description true: only auctions that can be bought now */
        hasBuyNow?: 'true' | 'false';
        /** @description me: auctions you have an accepted bid on (sign-in required) */
        bidder?: 'me';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of auctions */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuctionSummaryPage'];
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  createAuction: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['NewAuctionInput'];
      };
    };
    responses: {
      /** @description Created: the auction as its seller sees it */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            auction: components['schemas']['Auction'];
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `ITEM_NOT_FOUND`: No such inventory item */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'ITEM_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'PAYLOAD_TOO_LARGE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNSUPPORTED_MEDIA_TYPE`: The request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNSUPPORTED_MEDIA_TYPE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `RATE_LIMITED`: Too many requests: slow down and retry after the time given in Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'RATE_LIMITED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  getAuction: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The auction as the caller sees it */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            auction: components['schemas']['Auction'];
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_NOT_FOUND`: No such auction */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  editAuction: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ListingEditInput'];
      };
    };
    responses: {
      /** @description Edited and durable: the auction as its seller sees it */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            auction: components['schemas']['Auction'];
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site; `NOT_SELLER`: Only the seller of this auction may do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST' | 'NOT_SELLER';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_NOT_FOUND`: No such auction */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_CLOSED`: The auction has ended; `AUCTION_CANCELLED`: The auction was cancelled; `AUCTION_HAS_BIDS`: The prices and the end cannot change once a bid has been accepted; `ITEM_MANAGED_BY_INVENTORY`: The item comes from your inventory: change the inventory item instead */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_CLOSED' | 'AUCTION_CANCELLED' | 'AUCTION_HAS_BIDS' | 'ITEM_MANAGED_BY_INVENTORY';
              auction: components['schemas']['Auction'];
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'PAYLOAD_TOO_LARGE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNSUPPORTED_MEDIA_TYPE`: The request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNSUPPORTED_MEDIA_TYPE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  buyNow: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Done and durable: the auction after it, and the buy-now bid (else null) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            auction: components['schemas']['Auction'];
            bid: components['schemas']['Bid'] | null;
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_NOT_FOUND`: No such auction */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `BUY_NOW_UNAVAILABLE`: Buy-now is not available on this auction now; `SELF_BIDDING`: Sellers cannot bid on their own auction */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'BUY_NOW_UNAVAILABLE' | 'SELF_BIDDING';
              auction: components['schemas']['Auction'];
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  cancelAuction: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Done and durable: the auction after it, and the buy-now bid (else null) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            auction: components['schemas']['Auction'];
            bid: components['schemas']['Bid'] | null;
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site; `FORBIDDEN`: You may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST' | 'FORBIDDEN';
              auction?: components['schemas']['Auction'];
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_NOT_FOUND`: No such auction */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CANCEL_NOT_ALLOWED`: The auction can no longer be cancelled */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CANCEL_NOT_ALLOWED';
              auction: components['schemas']['Auction'];
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  payForAuction: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Done and durable: the auction after it, and the buy-now bid (else null) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            auction: components['schemas']['Auction'];
            bid: components['schemas']['Bid'] | null;
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site; `FORBIDDEN`: You may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST' | 'FORBIDDEN';
              auction?: components['schemas']['Auction'];
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_NOT_FOUND`: No such auction */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `PAYMENT_NOT_DUE`: No payment is due on this auction now */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'PAYMENT_NOT_DUE';
              auction: components['schemas']['Auction'];
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  acceptOffer: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Done and durable: the auction after it, and the buy-now bid (else null) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            auction: components['schemas']['Auction'];
            bid: components['schemas']['Bid'] | null;
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site; `FORBIDDEN`: You may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST' | 'FORBIDDEN';
              auction?: components['schemas']['Auction'];
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_NOT_FOUND`: No such auction */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `NO_OFFER_PENDING`: No second-chance offer is open on this auction now */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'NO_OFFER_PENDING';
              auction: components['schemas']['Auction'];
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  declineOffer: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Done and durable: the auction after it, and the buy-now bid (else null) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            auction: components['schemas']['Auction'];
            bid: components['schemas']['Bid'] | null;
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site; `FORBIDDEN`: You may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST' | 'FORBIDDEN';
              auction?: components['schemas']['Auction'];
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_NOT_FOUND`: No such auction */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `NO_OFFER_PENDING`: No second-chance offer is open on this auction now */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'NO_OFFER_PENDING';
              auction: components['schemas']['Auction'];
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  setLiveStream: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['LiveStreamInput'];
      };
    };
    responses: {
      /** @description Done and durable: the auction after it */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            auction: components['schemas']['Auction'];
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site; `FORBIDDEN`: You may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST' | 'FORBIDDEN';
              auction?: components['schemas']['Auction'];
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_NOT_FOUND`: No such auction */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_CLOSED`: The auction has ended */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_CLOSED';
              auction: components['schemas']['Auction'];
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'PAYLOAD_TOO_LARGE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNSUPPORTED_MEDIA_TYPE`: The request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNSUPPORTED_MEDIA_TYPE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  removeLiveStream: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Done and durable: the auction after it */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            auction: components['schemas']['Auction'];
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site; `FORBIDDEN`: You may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST' | 'FORBIDDEN';
              auction?: components['schemas']['Auction'];
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_NOT_FOUND`: No such auction */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_CLOSED`: The auction has ended */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_CLOSED';
              auction: components['schemas']['Auction'];
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  getInventoryItem: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Your own id of the item (your space: other sellers may use the same id) */
        externalId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The item */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            item: components['schemas']['InventoryItem'];
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `ITEM_NOT_FOUND`: No such inventory item */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'ITEM_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  putInventoryItem: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Your own id of the item (your space: other sellers may use the same id) */
        externalId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['InventoryItemContentInput'];
      };
    };
    responses: {
      /** @description Replaced (or unchanged) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            item: components['schemas']['InventoryItem'];
          };
        };
      };
      /** @description Created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            item: components['schemas']['InventoryItem'];
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'PAYLOAD_TOO_LARGE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNSUPPORTED_MEDIA_TYPE`: The request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNSUPPORTED_MEDIA_TYPE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  deleteInventoryItem: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Your own id of the item (your space: other sellers may use the same id) */
        externalId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `ITEM_NOT_FOUND`: No such inventory item */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'ITEM_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `ITEM_HAS_BIDS`: An open auction of this inventory item has an accepted bid */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'ITEM_HAS_BIDS';
              /**
               * @example [
               *       "01936b6e-8f3a-7c21-9a4b-5d6e7f809a1b"
               *     ]
               */
              auctionIds: string[];
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  listInventoryItems: {
    parameters: {
      query?: {
        /** @description 1–100, default 20 */
        limit?: string;
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of items */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['InventoryItemPage'];
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  listBids: {
    parameters: {
      query?: {
        /** @description 1–100, default 50 */
        limit?: string;
        cursor?: string;
        status?: 'accepted' | 'all';
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of bids */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BidPage'];
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_NOT_FOUND`: No such auction */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  placeBid: {
    parameters: {
      query?: never;
      header?: {
        /** @description 1–64 printable ASCII characters, sent at most once; a retry returns the first answer */
        'idempotency-key'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PlaceBidInput'];
      };
    };
    responses: {
      /** @description Accepted and durable: the bid and the auction right after it */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            bid: components['schemas']['Bid'];
            auction: components['schemas']['Auction'];
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_NOT_FOUND`: No such auction */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `BID_TOO_LOW`: The bid is below the minimum next bid; `AUCTION_CLOSED`: The auction has ended; `AUCTION_NOT_STARTED`: The auction has not started yet; `AUCTION_CANCELLED`: The auction was cancelled; `SELF_BIDDING`: Sellers cannot bid on their own auction */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'BID_TOO_LOW' | 'AUCTION_CLOSED' | 'AUCTION_NOT_STARTED' | 'AUCTION_CANCELLED' | 'SELF_BIDDING';
              bid: components['schemas']['Bid'];
              auction: components['schemas']['Auction'];
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'PAYLOAD_TOO_LARGE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNSUPPORTED_MEDIA_TYPE`: The request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNSUPPORTED_MEDIA_TYPE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `IDEMPOTENCY_KEY_REUSED`: This Idempotency-Key was used with a different request */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'IDEMPOTENCY_KEY_REUSED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `RATE_LIMITED`: Too many requests: slow down and retry after the time given in Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'RATE_LIMITED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  getLeaderboard: {
    parameters: {
      query?: {
        /** @description 1–20, default 3 */
        limit?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The leading bidders */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['LeaderboardEntry'][];
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_NOT_FOUND`: No such auction */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  listMyBids: {
    parameters: {
      query?: {
        /** @description 1–100, default 20 */
        limit?: string;
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of my bids */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MyBidPage'];
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  getMyBid: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        auctionId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description My bid on the auction */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            item: components['schemas']['MyBid'];
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_NOT_FOUND`: No such auction; `NOT_FOUND`: No such resource */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_NOT_FOUND' | 'NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  listMyAuctions: {
    parameters: {
      query?: {
        /** @description 1–100, default 20 */
        limit?: string;
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of my auctions */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuctionPage'];
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  watchAuction: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        auctionId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Watched */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_NOT_FOUND`: No such auction */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  unwatchAuction: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        auctionId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Not watched (any more) */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_NOT_FOUND`: No such auction */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  listWatchlist: {
    parameters: {
      query?: {
        /** @description 1–100, default 20 */
        limit?: string;
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of watched auctions */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuctionSummaryPage'];
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  listWebhooks: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description My webhooks */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Webhook'][];
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  createWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description http:// or https://; not a loopback, private or link-local address */
          url: string;
          /** @description The event types to receive */
          events: (
            | 'bid.accepted'
            | 'auction.closed'
            | 'auction.cancelled'
            | 'auction.extended'
            | 'settlement.changed'
            | 'question.published'
          )[];
        };
      };
    };
    responses: {
      /** @description Registered: the webhook with its secret */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            webhook: {
              id: string;
              url: string;
              events: string[];
              /** @description ISO 8601 UTC with milliseconds */
              createdAt: string;
              /** @description The signing key: kept secret */
              secret: string;
            };
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid; `WEBHOOK_URL_FORBIDDEN`: Webhooks may not be sent to loopback, private, link-local or reserved addresses */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED' | 'WEBHOOK_URL_FORBIDDEN';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `TOO_MANY_WEBHOOKS`: You have as many webhooks as a user may have */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'TOO_MANY_WEBHOOKS';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'PAYLOAD_TOO_LARGE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNSUPPORTED_MEDIA_TYPE`: The request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNSUPPORTED_MEDIA_TYPE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  deleteWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `WEBHOOK_NOT_FOUND`: No such webhook */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'WEBHOOK_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  listWebhookDeliveries: {
    parameters: {
      query?: {
        /** @description 1–100, default 20 */
        limit?: string;
        cursor?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of deliveries */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['WebhookDelivery'][];
            nextCursor: string | null;
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `WEBHOOK_NOT_FOUND`: No such webhook */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'WEBHOOK_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  retryWebhookDelivery: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        deliveryId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Queued again */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            delivery: {
              id: string;
              /** @enum {string} */
              status: 'pending';
            };
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `WEBHOOK_NOT_FOUND`: No such webhook; `DELIVERY_NOT_FOUND`: No such delivery of this webhook */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'WEBHOOK_NOT_FOUND' | 'DELIVERY_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `DELIVERY_NOT_FAILED`: Only a failed delivery can be sent again */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'DELIVERY_NOT_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  setMyEmail: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description An e-mail address (compared without regard to case) */
          email: string;
        };
      };
    };
    responses: {
      /** @description The verification link was queued */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            pendingEmail: string;
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'PAYLOAD_TOO_LARGE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNSUPPORTED_MEDIA_TYPE`: The request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNSUPPORTED_MEDIA_TYPE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `RATE_LIMITED`: Too many requests: slow down and retry after the time given in Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'RATE_LIMITED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  verifyEmail: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          token: string;
        };
      };
    };
    responses: {
      /** @description Verified: the user’s own view */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            user: components['schemas']['User'];
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid; `TOKEN_INVALID`: The link is not valid: it was used already, has expired, or never existed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED' | 'TOKEN_INVALID';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'PAYLOAD_TOO_LARGE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNSUPPORTED_MEDIA_TYPE`: The request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNSUPPORTED_MEDIA_TYPE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `RATE_LIMITED`: Too many requests: slow down and retry after the time given in Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'RATE_LIMITED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  requestPasswordReset: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json':
          | {
              username: string;
            }
          | {
              /** @description An e-mail address (compared without regard to case) */
              email: string;
            };
      };
    };
    responses: {
      /** @description Taken (a link was mailed if the account exists) */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': Record<string, never>;
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'PAYLOAD_TOO_LARGE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNSUPPORTED_MEDIA_TYPE`: The request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNSUPPORTED_MEDIA_TYPE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `RATE_LIMITED`: Too many requests: slow down and retry after the time given in Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'RATE_LIMITED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  resetPassword: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        token: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description 8–128 characters, not only whitespace, not one of the 10,000 most common breached passwords */
          password: string;
        };
      };
    };
    responses: {
      /** @description The password was changed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': Record<string, never>;
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid; `TOKEN_INVALID`: The link is not valid: it was used already, has expired, or never existed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED' | 'TOKEN_INVALID';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'PAYLOAD_TOO_LARGE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNSUPPORTED_MEDIA_TYPE`: The request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNSUPPORTED_MEDIA_TYPE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `RATE_LIMITED`: Too many requests: slow down and retry after the time given in Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'RATE_LIMITED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  getNotificationSettings: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description My settings */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NotificationSettings'];
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  updateNotificationSettings: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          email: {
            outbid?: boolean;
            won?: boolean;
            payment_due?: boolean;
            sold?: boolean;
            ending_soon?: boolean;
            question?: boolean;
          };
        };
      };
    };
    responses: {
      /** @description My settings after the change */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NotificationSettings'];
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'PAYLOAD_TOO_LARGE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNSUPPORTED_MEDIA_TYPE`: The request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNSUPPORTED_MEDIA_TYPE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  streamMyNotifications: {
    parameters: {
      query?: {
        /** @description Same as the Last-Event-ID header, for clients that cannot set headers */
        lastEventId?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The notification stream */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/event-stream': string;
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `RATE_LIMITED`: Too many requests: slow down and retry after the time given in Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'RATE_LIMITED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  streamAuctionEvents: {
    parameters: {
      query?: {
        /** @description Same as the Last-Event-ID header, for clients that cannot set headers */
        lastEventId?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The auction’s event stream */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/event-stream': string;
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_NOT_FOUND`: No such auction */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `RATE_LIMITED`: Too many requests: slow down and retry after the time given in Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'RATE_LIMITED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  streamAuctions: {
    parameters: {
      query: {
        /** @description 1–100 comma-separated auction ids; unknown ones are skipped */
        auctions: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The auctions’ event stream */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/event-stream': string;
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `RATE_LIMITED`: Too many requests: slow down and retry after the time given in Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'RATE_LIMITED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  getHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The process serves */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'ok';
          };
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  getReadiness: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Ready */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'ready';
            /** @enum {string} */
            store: 'ok';
            /**
             * @example down
             * @enum {string}
             */
            bus: 'ok' | 'down';
          };
        };
      };
      /** @description `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'SERVICE_UNAVAILABLE';
              /**
               * @example down
               * @enum {string}
               */
              store: 'ok' | 'down';
              /**
               * @example down
               * @enum {string}
               */
              bus: 'ok' | 'down';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  getMetrics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The Prometheus text format */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain': string;
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  listQuestions: {
    parameters: {
      query?: {
        /** @description 1–100, default 20 */
        limit?: string;
        cursor?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of questions */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['QuestionPage'];
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_NOT_FOUND`: No such auction */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  askQuestion: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['QuestionTextInput'];
      };
    };
    responses: {
      /** @description Asked: the question as its asker sees it */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            question: components['schemas']['Question'];
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site; `SELLER_CANNOT_ASK`: Sellers answer questions on their own auction; they cannot ask them */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST' | 'SELLER_CANNOT_ASK';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_NOT_FOUND`: No such auction */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'PAYLOAD_TOO_LARGE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNSUPPORTED_MEDIA_TYPE`: The request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNSUPPORTED_MEDIA_TYPE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  answerQuestion: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        questionId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['QuestionTextInput'];
      };
    };
    responses: {
      /** @description Answered: the question with its answer */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            question: components['schemas']['Question'];
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site; `NOT_SELLER`: Only the seller of this auction may do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST' | 'NOT_SELLER';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_NOT_FOUND`: No such auction; `QUESTION_NOT_FOUND`: No such question on this auction */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_NOT_FOUND' | 'QUESTION_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `ALREADY_ANSWERED`: This question has an answer already */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'ALREADY_ANSWERED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'PAYLOAD_TOO_LARGE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNSUPPORTED_MEDIA_TYPE`: The request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNSUPPORTED_MEDIA_TYPE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  listModerationQueue: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The waiting items */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['ModerationItem'][];
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `FORBIDDEN`: You may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'FORBIDDEN';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  decideModerationItem: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ModerationDecisionInput'];
      };
    };
    responses: {
      /** @description Decided: the item with its new status */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            item: components['schemas']['ModerationItem'];
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site; `FORBIDDEN`: You may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST' | 'FORBIDDEN';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `MODERATION_ITEM_NOT_FOUND`: No such question or answer */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'MODERATION_ITEM_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `ALREADY_DECIDED`: This item was published or rejected already */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'ALREADY_DECIDED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'PAYLOAD_TOO_LARGE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNSUPPORTED_MEDIA_TYPE`: The request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNSUPPORTED_MEDIA_TYPE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  joinLiveRoom: {
    parameters: {
      query?: {
        /** @description Resume after this version, like Last-Event-ID */
        lastVersion?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Switching Protocols: the socket is open */
      101: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `AUCTION_NOT_FOUND`: No such auction */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'AUCTION_NOT_FOUND';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `RATE_LIMITED`: Too many requests: slow down and retry after the time given in Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'RATE_LIMITED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  syncInventory: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description One JSON object per line (blank lines are skipped) */
    requestBody: {
      content: {
        'application/x-ndjson': string;
      };
    };
    responses: {
      /** @description Taken: what each line did */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['InventorySyncResult'];
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'PAYLOAD_TOO_LARGE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNSUPPORTED_MEDIA_TYPE`: The request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNSUPPORTED_MEDIA_TYPE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  unsubscribePage: {
    parameters: {
      query: {
        token: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The page */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid; `TOKEN_INVALID`: The link is not valid: it was used already, has expired, or never existed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED' | 'TOKEN_INVALID';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  unsubscribe: {
    parameters: {
      query: {
        token: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Turned off */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            unsubscribed: string;
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid; `TOKEN_INVALID`: The link is not valid: it was used already, has expired, or never existed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED' | 'TOKEN_INVALID';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'PAYLOAD_TOO_LARGE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNSUPPORTED_MEDIA_TYPE`: The request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNSUPPORTED_MEDIA_TYPE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
  uploadPicture: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The image file’s bytes */
    requestBody: {
      content: {
        'image/jpeg': string;
        'image/png': string;
        'image/webp': string;
      };
    };
    responses: {
      /** @description Stored: the picture’s URL */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description /uploads/<name>, served by this server */
            url: string;
          };
        };
      };
      /** @description `VALIDATION_FAILED`: The request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'VALIDATION_FAILED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNAUTHENTICATED`: A valid session is required (bearer token or session cookie) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNAUTHENTICATED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `CROSS_SITE_REQUEST`: A cookie-authenticated change must come from this site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'CROSS_SITE_REQUEST';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'PAYLOAD_TOO_LARGE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `UNSUPPORTED_MEDIA_TYPE`: The request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'UNSUPPORTED_MEDIA_TYPE';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description `RATE_LIMITED`: Too many requests: slow down and retry after the time given in Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code: 'RATE_LIMITED';
            } & {
              [key: string]: unknown;
            });
        };
      };
      /** @description Any operation may also answer: `NOT_FOUND`: No such resource; `REQUEST_TIMEOUT`: The request was not received in time; `HEADERS_TOO_LARGE`: The request headers are too large; `INTERNAL_ERROR`: Internal error; `STORE_UNAVAILABLE`: Storage is unreachable: nothing was stored; retry after Retry-After; `SERVICE_UNAVAILABLE`: The service is not accepting this request right now */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] &
            ({
              /** @enum {string} */
              code:
                | 'NOT_FOUND'
                | 'REQUEST_TIMEOUT'
                | 'HEADERS_TOO_LARGE'
                | 'INTERNAL_ERROR'
                | 'STORE_UNAVAILABLE'
                | 'SERVICE_UNAVAILABLE';
            } & {
              [key: string]: unknown;
            });
        };
      };
    };
  };
}
