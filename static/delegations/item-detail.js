/* An itinerary item's folded detail on the visit's page (delegations/admin_detail.py), under the site's
 * CSP: opening an existing item's detail fetches its fields and puts them in the placeholder's place,
 * with the hidden input that makes the row post them back. A detail never opened is never posted, and
 * the item keeps what it holds. */
'use strict';
{
    function load(details) {
        const placeholder = details.closest('fieldset');
        const status = details.querySelector('.detail-loading');
        const url = new URL(details.dataset.detailUrl, window.location.href);
        url.searchParams.set('prefix', details.dataset.prefix);
        details.dataset.loading = 'yes';
        fetch(url, {credentials: 'same-origin', headers: {Accept: 'text/html'}})
            .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
            .then((html) => {
                const template = document.createElement('template');
                template.innerHTML = html;
                const fieldset = template.content.querySelector('fieldset');
                placeholder.replaceWith(template.content);
                const opened = fieldset.querySelector('details');
                if (opened) {
                    opened.open = true;
                }
                // The admin's autocompletes, as it starts them in a row it adds.
                django.jQuery(fieldset).find('.admin-autocomplete').djangoAdminSelect2();
            })
            .catch(() => {
                delete details.dataset.loading;
                status.textContent = details.dataset.failed;
            });
    }

    // "toggle" does not bubble: heard on its way down.
    document.addEventListener(
        'toggle',
        (event) => {
            const details = event.target;
            if (details.matches && details.matches('details[data-detail-url]') && details.open && !details.dataset.loading) {
                load(details);
            }
        },
        true
    );
}
