/* Place pickers of the admin (delegations/widgets.py), under the site's CSP: no inline script or style.
 *
 * - Host countries (select.ordered-picker): searched with select2; each pick moves its option after the
 *   earlier ones, so that the form posts them in the order picked: the route.
 * - Time zones (select.zone-picker): searched through the admin's zone list; the page holds the chosen zone only.
 * - A row's venue, when chosen, fills the row's city and zone; with no venue, the city (and the country, or
 *   the visit's host countries) suggest a zone, which replaces an empty or earlier suggested one only.
 */
'use strict';
{
    const $ = django.jQuery;

    function orderedPicker(element) {
        const $select = $(element);
        $select.select2({theme: 'admin-autocomplete', width: '100%', placeholder: element.dataset.placeholder});
        $select.on('select2:select', (event) => {
            $select.append(event.params.data.element); // after the earlier picks
            $select.trigger('change');
        });
        $select.on('select2:unselect', (event) => {
            // Back among the others, in the list's order.
            const option = event.params.data.element;
            const next = Array.from(element.options).find(
                (other) => other !== option && !other.selected && other.text.localeCompare(option.text) > 0
            );
            element.insertBefore(option, next || null);
        });
    }

    function zonePicker(element) {
        $(element).select2({
            theme: 'admin-autocomplete',
            width: '16em',
            allowClear: !element.required,
            placeholder: element.dataset.placeholder,
            ajax: {
                url: element.dataset.zonesUrl,
                dataType: 'json',
                delay: 150,
                data: (params) => ({term: params.term, page: params.page}),
            },
        });
    }

    function init(root) {
        $(root).find('select.ordered-picker').not('[name*=__prefix__]').each((i, element) => orderedPicker(element));
        $(root).find('select.zone-picker').not('[name*=__prefix__]').each((i, element) => zonePicker(element));
    }

    // The fields of the row (or form) of `field`: "itinerary_items-0-venue" → "itinerary_items-0-city".
    function sibling(field, suffix, name) {
        const prefix = field.name.slice(0, field.name.length - suffix.length);
        return field.form ? field.form.elements.namedItem(prefix + name) : null;
    }

    function setZone(zone, name, label, suggested) {
        let option = Array.from(zone.options).find((item) => item.value === name);
        if (!option) {
            option = new Option(label, name, false, false);
            zone.add(option);
        }
        zone.dataset.suggested = suggested ? name : '';
        $(zone).val(name).trigger('change');
    }

    function ask(zone, parameters) {
        const url = new URL(zone.dataset.placeUrl, window.location.href);
        Object.entries(parameters).forEach(([key, value]) => value && url.searchParams.set(key, value));
        return fetch(url, {headers: {Accept: 'application/json'}, credentials: 'same-origin'}).then(
            (response) => (response.ok ? response.json() : null)
        );
    }

    function venueChosen(venue) {
        const zone = sibling(venue, 'venue', 'time_zone');
        const city = sibling(venue, 'venue', 'city');
        if (!zone || !zone.classList.contains('zone-picker') || !venue.value) {
            return;
        }
        ask(zone, {venue: venue.value}).then((place) => {
            if (!place || !place.venue) {
                return;
            }
            if (city) {
                city.value = place.city;
            }
            setZone(zone, place.time_zone, place.time_zone_label, false);
        });
    }

    function hostCountries(form) {
        const hosts = form.elements.namedItem('host_countries');
        return hosts ? Array.from(hosts.selectedOptions, (option) => option.value).join(',') : '';
    }

    function suggest(field, suffix) {
        const zone = sibling(field, suffix, 'time_zone');
        if (!zone || !zone.classList.contains('zone-picker')) {
            return;
        }
        const venue = sibling(field, suffix, 'venue');
        if ((venue && venue.value) || (zone.value && zone.value !== zone.dataset.suggested)) {
            return; // the venue's zone, or one staff chose
        }
        const city = sibling(field, suffix, 'city');
        const country = sibling(field, suffix, 'country');
        const delegation = field.form.elements.namedItem('delegation');
        ask(zone, {
            city: city ? city.value : '',
            countries: country ? country.value : hostCountries(field.form),
            delegation: delegation ? delegation.value : '',
        }).then((place) => {
            if (place && place.time_zone && (!zone.value || zone.value === zone.dataset.suggested)) {
                setZone(zone, place.time_zone, place.time_zone_label, true);
            }
        });
    }

    $(() => init(document));
    document.addEventListener('formset:added', (event) => init(event.target));
    // select2 announces a choice with jQuery's events, which native listeners do not hear.
    $(document).on('change', 'select[name$="venue"]', (event) => venueChosen(event.target));
    $(document).on('change', 'input[name$="city"]', (event) => suggest(event.target, 'city'));
    $(document).on('change', 'select[name$="country"]', (event) => suggest(event.target, 'country'));
    $(document).on('change', 'select[name$="time_zone"]', (event) => {
        if (event.target.value !== event.target.dataset.suggested) {
            event.target.dataset.suggested = ''; // staff's own choice: kept
        }
    });
}
